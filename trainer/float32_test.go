package trainer

import (
	"math"
	"math/rand"
	"testing"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/layers"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// graphKinds are the layer kinds the training-graph tests run: MADE with residual blocks, ActNorm
// and linear layers, block masks, soft masks and gates, the Student-t, diagonal, mixture and MADE
// MoG bases, splines, and the injection mask (a parameter in gorgonia's own Mul).
var graphKinds = []distributions.Spec{
	{Layers: 3, Hidden: []int{16, 16}},
	{Layers: 2, Hidden: []int{16, 16}, Residual: true, Between: "actnorm+linear", Activation: "tanh"},
	{Layers: 2, Hidden: []int{12}, StudentT: 5, DiagonalBase: false, Mask: "block:1,2"},
	{Layers: 2, Hidden: []int{12}, Mask: "soft"},
	{Layers: 2, Hidden: []int{12}, Mask: "made-soft", DiagonalBase: true},
	{Layers: 2, Hidden: []int{12}, Mixture: 3},
	{Layers: 1, Hidden: []int{12}, Mixture: 3, MixtureMADE: true},
	{Layers: 2, Hidden: []int{12}, Transform: layers.Spline(5, 2)},
	{Layers: 2, Hidden: []int{12}, Mask: "injection", Transform: layers.Spline(4, 2)},
}

// TestFloat32Gradients: the float32 training graph gives the float64 graph's loss and gradients
// to float32 precision, for graphKinds, over two runs of one machine.
func TestFloat32Gradients(t *testing.T) {
	specs := graphKinds
	for _, spec := range specs {
		rng := rand.New(rand.NewSource(3))
		f := perturbedFlow(t, 3, spec, rng)
		x := mat.NewDense(32, 3, nil)
		x.Apply(func(_, _ int, _ float64) float64 { return rng.NormFloat64() }, x)
		s64, err := newStepper(f, 32, 3, 0.01, false, false, 1)
		require.NoError(t, err)
		s32, err := newStepper(f, 32, 3, 0.01, true, false, 1)
		require.NoError(t, err)
		for run := 0; run < 2; run++ {
			for r := 0; r < 32; r++ {
				s64.setRow(r, x.RawRowView(r))
				s32.setRow(r, x.RawRowView(r))
			}
			l64, err := s64.run()
			require.NoError(t, err)
			l32, err := s32.run()
			require.NoError(t, err)
			require.InDeltaf(t, l64, l32, 1e-5*math.Max(1, math.Abs(l64)), "%+v run %d: loss", spec, run)
			for k, g := range s64.grads {
				scale := 0.0
				for _, v := range g {
					scale = math.Max(scale, math.Abs(v))
				}
				for i, v := range g {
					require.InDeltaf(t, v, float64(s32.grads32[k][i]), 1e-4*math.Max(scale, 1e-3),
						"%+v run %d: gradient of %s entry %d", spec, run, s64.params[k].Name, i)
				}
			}
			x.Apply(func(_, _ int, v float64) float64 { return v + 0.1*rng.NormFloat64() }, x)
		}
		s64.close()
		s32.close()
	}
}
