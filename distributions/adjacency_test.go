package distributions_test

import (
	"math/rand"
	"os"
	"path/filepath"
	"testing"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/masks"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// A flow of adjacency layers depends on the given graph only: its composed dependency stays
// within the graph's ancestral closure, whatever the number of layers. The file form reads the
// same graph; a cycle and bad edges are refused.
func TestAdjacencyKind(t *testing.T) {
	// 2 → 1 → 3, 4 alone (A[i][j]: j is a parent of i)
	closure := mat.NewDense(4, 4, []float64{
		1, 1, 0, 0,
		0, 1, 0, 0,
		1, 1, 1, 0,
		0, 0, 0, 1,
	})
	for _, kind := range []string{"adjacency", "adjacency-made", "adjacency-soft"} {
		f, err := distributions.Build(4, distributions.Spec{Layers: 4, Mask: kind + ":2>1,1>3", Hidden: []int{8}}, rand.New(rand.NewSource(1)))
		require.NoError(t, err, kind)
		one := f.Layers[0].Pattern() // a single layer: exactly the parents (and itself)
		require.Equal(t, []float64{1, 1, 0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1}, one.RawMatrix().Data, kind)
		got := layers.Sequence(f.Layers).Pattern()
		for i := range 4 {
			for j := range 4 {
				if closure.At(i, j) == 0 {
					require.Zero(t, got.At(i, j), "%s: output %d depends on %d outside the graph's closure", kind, i+1, j+1)
				}
			}
		}
	}

	// with context columns 5 and 6: an edge from a context column reaches its child only
	f, err := distributions.Build(4, distributions.Spec{Layers: 1, Mask: "adjacency-made:2>1,5>3", Hidden: []int{8}, Context: 2}, rand.New(rand.NewSource(1)))
	require.NoError(t, err)
	made := f.Layers[0].(*layers.AffineInjection)
	conn := masks.Connectivity(layers.PathMasks(made.Net.Layers)) // 6 inputs × 8 outputs (s, t)
	for i := range 4 {
		require.Equal(t, i == 2, conn.At(4, i) != 0, "context column 5 → output %d", i+1)
		require.Zero(t, conn.At(5, i), "context column 6 has no edge")
	}

	path := filepath.Join(t.TempDir(), "adj.csv")
	require.NoError(t, os.WriteFile(path, []byte("0,1,0,0\n0,0,0,0\n1,0,0,0\n0,0,0,0\n"), 0o644))
	fromFile, err := distributions.ParseAdjacency("@"+path, 4, 0)
	require.NoError(t, err)
	edges, err := distributions.ParseAdjacency("2>1,1>3", 4, 0)
	require.NoError(t, err)
	require.True(t, mat.Equal(edges, fromFile))
	order, err := masks.TopologicalOrder(edges)
	require.NoError(t, err)
	require.Equal(t, masks.Degrees{2, 1, 3, 4}, order)

	for spec, want := range map[string]string{
		"adjacency:1>2,2>1": "cycle",
		"adjacency:1>9":     `edge "1>9"`,
		"adjacency:":        "no edges",
		"adjacency:@/none":  "no such file",
	} {
		_, err := distributions.Build(4, distributions.Spec{Mask: spec}, rand.New(rand.NewSource(1)))
		require.ErrorContains(t, err, want, spec)
	}
}
