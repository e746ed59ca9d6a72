package distributions_test

import (
	"math/rand"
	"testing"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/graph"
	"github.com/affineflow/flow/layers/layertest"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// The graph sampler gives the rows and log-densities of the numeric sampler (same base draws),
// and log q is the flow's density at its rows, in both directions and for every affine mask kind.
func TestSampleGraph(t *testing.T) {
	for _, tc := range []struct {
		name string
		spec distributions.Spec
	}{
		{"maf", distributions.Spec{Layers: 3, Hidden: []int{16, 16}}},
		{"iaf", distributions.Spec{Layers: 3, Hidden: []int{16, 16}, Inverse: true}},
		{"iaf-actnorm", distributions.Spec{Layers: 2, Hidden: []int{12}, Inverse: true, Between: "actnorm"}},
		{"injection", distributions.Spec{Layers: 2, Hidden: []int{8}, Mask: "injection"}},
		{"iaf-banded", distributions.Spec{Layers: 2, Hidden: []int{8}, Mask: "banded:1", Inverse: true}},
		{"iaf-soft", distributions.Spec{Layers: 2, Hidden: []int{8}, Mask: "soft", Inverse: true}},
		{"made-soft", distributions.Spec{Layers: 2, Hidden: []int{8}, Mask: "made-soft"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const n, d = 7, 4
			rng := rand.New(rand.NewSource(5))
			f, err := distributions.Build(d, tc.spec, rng)
			require.NoError(t, err)
			for _, l := range f.Layers {
				layertest.Perturb(l, rng, 0.3)
			}
			require.NoError(t, f.CanSampleGraph())
			wantX, wantLP := f.SampleWithLogProb(n, rand.New(rand.NewSource(9)))
			z := f.Base.Sample(n, rand.New(rand.NewSource(9)))

			g := graph.New()
			in := g.Input("z", n, d)
			x, lq := f.SampleGraph(g, in)
			vm := G.NewTapeMachine(g.ExprGraph)
			defer vm.Close()
			require.NoError(t, G.Let(in, tensor.New(tensor.WithShape(n, d), tensor.WithBacking(z.RawMatrix().Data))))
			require.NoError(t, vm.RunAll())
			gx := mat.NewDense(n, d, append([]float64(nil), x.Value().Data().([]float64)...))
			glp := lq.Value().Data().([]float64)
			lp := f.LogProbs(gx)
			for r := range n {
				for j := range d {
					require.InDelta(t, wantX.At(r, j), gx.At(r, j), 1e-9, "row %d col %d", r, j)
				}
				require.InDelta(t, wantLP[r], glp[r], 1e-9, "log q of row %d", r)
				require.InDelta(t, lp[r], glp[r], 1e-9, "log q of row %d against LogProbs", r)
			}
		})
	}
}

// Flows without a graph inverse, or with a learnable base, are refused by name.
func TestSampleGraphRefusals(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	f, err := distributions.Build(4, distributions.Spec{Layers: 2, Mask: "block:2,2"}, rng)
	require.NoError(t, err)
	require.ErrorContains(t, f.CanSampleGraph(), "layer 1: layers: a *layers.Linear layer has no graph inverse")
	_, err = distributions.Build(4, distributions.Spec{Layers: 2, Mask: "block:2,2", Inverse: true}, rng)
	require.ErrorContains(t, err, "Inverse: layer 1")
	f, err = distributions.Build(3, distributions.Spec{Layers: 1, Mixture: 2}, rng)
	require.NoError(t, err)
	require.ErrorContains(t, f.CanSampleGraph(), "learnable base")
}
