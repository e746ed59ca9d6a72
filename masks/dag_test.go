package masks_test

import (
	"testing"

	"github.com/affineflow/flow/masks"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// The order of a DAG puts parents first, and the adjacency is then a valid dependency mask; a
// cycle is refused, naming it.
func TestTopologicalOrder(t *testing.T) {
	// 3 → 1, 3 → 2, 1 → 4 (A[i][j]: j is a parent of i)
	adj := mat.NewDense(4, 4, []float64{
		0, 0, 1, 0,
		0, 0, 1, 0,
		0, 0, 0, 0,
		1, 0, 0, 0,
	})
	deg, err := masks.TopologicalOrder(adj)
	require.NoError(t, err)
	require.Equal(t, masks.Degrees{2, 3, 1, 4}, deg)
	require.NoError(t, masks.CheckDependency(adj, deg))

	natural, err := masks.TopologicalOrder(masks.Dependency(masks.Natural(3)))
	require.NoError(t, err)
	require.Equal(t, masks.Natural(3), natural)

	adj.Set(2, 3, 1) // 4 → 3 closes 3 → 1 → 4 → 3
	_, err = masks.TopologicalOrder(adj)
	require.ErrorContains(t, err, "cycle")
	require.ErrorContains(t, err, "1 → 4 → 3 → 1")
	_, err = masks.TopologicalOrder(mat.NewDense(1, 1, []float64{1}))
	require.ErrorContains(t, err, "its own parent")
}

// The block MADE of a graph connects each output to exactly its parents, with hidden layers or
// without, and is strictly autoregressive in the graph's topological order.
func TestParentsMADE(t *testing.T) {
	adj := mat.NewDense(4, 4, []float64{
		0, 0, 1, 0,
		0, 0, 1, 0,
		0, 0, 0, 0,
		1, 1, 0, 0,
	})
	order, err := masks.TopologicalOrder(adj)
	require.NoError(t, err)
	for _, widths := range [][]int{nil, {6}, {7, 7}, {3, 5}} {
		ms := masks.ParentsMADE(adj, widths, 2)
		require.NoError(t, masks.Check(ms, order), "widths %v", widths)
		conn := masks.Connectivity(ms) // D × reps·D: input → output column
		for r := range 2 {
			for i := range 4 {
				for j := range 4 {
					require.Equal(t, adj.At(i, j) != 0, conn.At(j, r*4+i) != 0, "widths %v: output %d, input %d", widths, r*4+i, j)
				}
			}
		}
	}
}
