package distributions_test

import (
	"math/rand"
	"testing"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/masks"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// "block:SIZES" builds, per stack step, the affine injection with block degrees (reversed on odd
// layers) and the block-diagonal Linear that mixes each block.
func TestBlockKindLayers(t *testing.T) {
	f, err := distributions.Build(5, distributions.Spec{Layers: 3, Mask: "block:2,3", Hidden: []int{8, 8}}, rand.New(rand.NewSource(1)))
	require.NoError(t, err)
	require.Len(t, f.Layers, 6)
	want := []masks.Degrees{{1, 1, 2, 2, 2}, {2, 2, 1, 1, 1}, {1, 1, 2, 2, 2}}
	for k := 0; k < 3; k++ {
		a, ok := f.Layers[2*k].(*layers.AffineInjection)
		require.True(t, ok, "layer %d is %T", 2*k, f.Layers[2*k])
		require.Equal(t, want[k], a.Order)
		lin, ok := f.Layers[2*k+1].(*layers.Linear)
		require.True(t, ok, "layer %d is %T", 2*k+1, f.Layers[2*k+1])
		require.Equal(t, want[k], lin.Blocks)
	}
	// random order: each layer assigns the dimensions to blocks of the given sizes at random
	f, err = distributions.Build(5, distributions.Spec{Layers: 2, Mask: "block:2,3", Order: "random", Hidden: []int{8}}, rand.New(rand.NewSource(1)))
	require.NoError(t, err)
	for k := 0; k < 2; k++ {
		deg := f.Layers[2*k].(*layers.AffineInjection).Order
		n1 := 0
		for _, v := range deg {
			if v == 1 {
				n1++
			}
		}
		require.Equal(t, 2, n1, "%v", deg)
		require.Equal(t, deg, f.Layers[2*k+1].(*layers.Linear).Blocks)
	}
}

// D blocks of one dimension are the MAF of the "made" kind: the same layers, weights and density.
func TestBlocksOfOneIsMADE(t *testing.T) {
	s := distributions.Spec{Layers: 4, Hidden: []int{12, 12}}
	fm, err := distributions.Build(4, s, rand.New(rand.NewSource(3)))
	require.NoError(t, err)
	s.Mask = "block:1,1,1,1"
	fb, err := distributions.Build(4, s, rand.New(rand.NewSource(3)))
	require.NoError(t, err)
	require.Len(t, fb.Layers, len(fm.Layers))
	rng := rand.New(rand.NewSource(4))
	pm, pb := fm.Params(), fb.Params()
	require.Len(t, pb, len(pm))
	for k := range pm {
		require.Equal(t, pm[k].Data(), pb[k].Data())
		for i := range pm[k].Data() {
			v := 0.2 * rng.NormFloat64()
			pm[k].Data()[i] += v
			pb[k].Data()[i] += v
		}
	}
	for k := range fm.Layers {
		require.Equal(t, fm.Layers[k].(*layers.AffineInjection).Order, fb.Layers[k].(*layers.AffineInjection).Order)
	}
	x := randn(rng, 20, 4)
	require.Equal(t, fm.LogProbs(x), fb.LogProbs(x))
	require.True(t, mat.Equal(fm.Sample(10, rand.New(rand.NewSource(5))), fb.Sample(10, rand.New(rand.NewSource(5)))))
}

// Two blocks: every step is an affine coupling (RealNVP) followed by the mixing inside each half.
// Its first-block outputs do not depend on the data (constant scale and shift), so the first
// block of the step's output is an affine map of the first block of its input.
func TestTwoBlocksFlowIsCouplingStack(t *testing.T) {
	f, err := distributions.Build(4, distributions.Spec{Layers: 2, Mask: "block:2,2", Hidden: []int{8, 8}}, rand.New(rand.NewSource(1)))
	require.NoError(t, err)
	rng := rand.New(rand.NewSource(2))
	for _, p := range f.Params() {
		for i := range p.Data() {
			p.Data()[i] += 0.3 * rng.NormFloat64()
		}
	}
	step := layers.Sequence{f.Layers[0], f.Layers[1]}
	p := step.Pattern()
	require.True(t, mat.Equal(p, mat.NewDense(4, 4, []float64{
		1, 1, 0, 0,
		1, 1, 0, 0,
		1, 1, 1, 1,
		1, 1, 1, 1,
	})), "%v", mat.Formatted(p))
	// x_1 ↦ y_1 is affine: second differences vanish
	x := randn(rng, 3, 4)
	y, _ := step.Transform(x)
	x2 := mat.DenseCopyOf(x)
	x2.Scale(2, x)
	y2, _ := step.Transform(x2)
	z, _ := step.Transform(mat.NewDense(3, 4, nil))
	for r := 0; r < 3; r++ {
		for i := 0; i < 2; i++ {
			// affine: y(2x) - z = 2 (y(x) - z)
			require.InDelta(t, 2*(y.At(r, i)-z.At(r, i)), y2.At(r, i)-z.At(r, i), 1e-10)
		}
	}
}
