package modelfile_test

import (
	"fmt"
	"math/rand"
	"testing"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/layers/layertest"
	"github.com/affineflow/flow/modelfile"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// kindDim is the width every mask kind's Example builds on.
const kindDim = 4

// buildKind builds two steps of kind k from its Example with perturbed weights, so that no map is
// the identity.
func buildKind(t *testing.T, k distributions.MaskKind, ctx int, seed int64) *distributions.Flow {
	t.Helper()
	rng := rand.New(rand.NewSource(seed))
	f, err := distributions.Build(kindDim, distributions.Spec{Layers: 2, Mask: k.Example, Hidden: []int{16, 16}, Context: ctx}, rng)
	require.NoError(t, err, "building %s", k.Example)
	for _, l := range f.Layers {
		layertest.Perturb(l, rng, 0.3)
	}
	return f
}

// Every registered mask kind, built from its Example through distributions.Build: every layer
// passes the conformance suite (layertest), with a context when the kind takes one; the model file
// round-trips to the same density; and the independent reference evaluator (reference_test.go)
// computes that density from the JSON alone. A kind that takes no context is refused with one. A
// new kind (one file that calls distributions.RegisterMask) is tested here with nothing else to add.
func TestMaskKinds(t *testing.T) {
	for _, k := range distributions.Kinds() {
		t.Run(k.Name, func(t *testing.T) {
			contexts := []int{0}
			if k.TakesContext {
				contexts = append(contexts, 2)
			} else {
				_, err := distributions.Build(kindDim, distributions.Spec{Mask: k.Example, Context: 2}, rand.New(rand.NewSource(1)))
				require.ErrorContains(t, err, "does not take context inputs")
			}
			for _, c := range contexts {
				t.Run(fmt.Sprintf("context=%d", c), func(t *testing.T) { checkKind(t, k, c) })
			}
		})
	}
}

func checkKind(t *testing.T, k distributions.MaskKind, ctx int) {
	f := buildKind(t, k, ctx, 1)
	var cases []layertest.Case
	for i := range f.Layers {
		cases = append(cases, layertest.Case{Name: fmt.Sprintf("layer-%d", i),
			New: func(*rand.Rand) (layers.Layer, error) { return buildKind(t, k, ctx, 1).Layers[i], nil }})
	}
	layertest.Run(t, cases)

	rng := rand.New(rand.NewSource(2))
	x := data(7, kindDim, rng)
	var c *mat.Dense
	if ctx > 0 {
		c = data(7, ctx, rng)
	}
	want := f.LogProbsContext(x, c)
	b, err := modelfile.Marshal(f, testMeta())
	require.NoError(t, err)
	g, _, err := modelfile.Unmarshal(b, k.Example+".json")
	require.NoError(t, err)
	require.Equal(t, want, g.LogProbsContext(x, c), "the model file's density")
	ref := refDecode(b)
	for r := range want {
		var cr []float64
		if c != nil {
			cr = c.RawRowView(r)
		}
		require.InDelta(t, want[r], ref.logProbContext(x.RawRowView(r), cr), 1e-9, "reference evaluator, row %d", r)
	}
}
