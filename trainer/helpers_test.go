package trainer

import (
	"math/rand"
	"testing"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/graph"
	"github.com/affineflow/flow/layers/layertest"
	"github.com/stretchr/testify/require"
)

// perturbedFlow builds spec in d dimensions from rng and moves each layer's parameters by
// 0.3·N(0, 1) draws of rng, so that no layer is the identity: how the training-graph tests start.
func perturbedFlow(t *testing.T, d int, spec distributions.Spec, rng *rand.Rand) *distributions.Flow {
	t.Helper()
	f, err := distributions.Build(d, spec, rng)
	require.NoError(t, err)
	for _, l := range f.Layers {
		layertest.Perturb(l, rng, 0.3)
	}
	return f
}

// onSupport returns which of n values lie in spans.
func onSupport(spans []graph.Span, n int) []bool {
	in := make([]bool, n)
	for _, sp := range spans {
		for i := sp.Lo; i < sp.Hi; i++ {
			in[i] = true
		}
	}
	return in
}
