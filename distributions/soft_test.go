package distributions_test

import (
	"math/rand"
	"testing"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/graph"
	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/masks"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
	G "gorgonia.org/gorgonia"
)

func graphValue(t *testing.T, build func(g *graph.Graph) *G.Node) float64 {
	t.Helper()
	g := graph.New()
	n := build(g)
	vm := G.NewTapeMachine(g.ExprGraph)
	defer vm.Close()
	require.NoError(t, vm.RunAll())
	return n.Value().Data().(float64)
}

// The "soft" and "made-soft" kinds build learnable layers; MaskSum is Σ M of the injection masks
// plus (D/H)·Σ σ(G) of the gates; HardenMasks leaves fixed layers only.
func TestSoftKinds(t *testing.T) {
	require.Contains(t, distributions.MaskKinds(), "soft")
	require.Contains(t, distributions.MaskKinds(), "made-soft")
	rng := rand.New(rand.NewSource(1))
	f, err := distributions.Build(4, distributions.Spec{Layers: 2, Mask: "soft", Hidden: []int{8}}, rng)
	require.NoError(t, err)
	require.Equal(t, []int{0, 1}, f.SoftLayers())
	inj := f.Layers[1].(*layers.Injection)
	require.Equal(t, masks.Reversed(4), inj.Order)
	want := 0.0
	for _, l := range f.Layers {
		want += mat.Sum(l.(*layers.Injection).EffectiveMask())
	}
	assert.InDelta(t, 2*6*layers.DefaultMaskInit, want, 1e-12)
	assert.InDelta(t, want, graphValue(t, f.MaskSum), 1e-12)

	m, err := distributions.Build(4, distributions.Spec{Layers: 1, Mask: "made-soft", Hidden: []int{8}}, rng)
	require.NoError(t, err)
	made := m.Layers[0].(*layers.AffineInjection)
	gates := mat.Sum(made.Net.Layers[0].EffectiveMask())
	assert.InDelta(t, layers.DefaultMaskInit*mat.Sum(made.Net.Layers[0].Mask), gates, 1e-12)
	assert.InDelta(t, 4.0/8*gates, graphValue(t, m.MaskSum), 1e-12)

	x := mat.NewDense(5, 4, nil)
	x.Apply(func(_, _ int, _ float64) float64 { return rng.NormFloat64() }, x)
	before := m.LogProbs(x)
	assert.Positive(t, m.HardenMasks(0.5)) // every gate is 0.9: all kept, folded into the weights
	assert.Empty(t, m.SoftLayers())
	assert.Nil(t, m.MaskSum(graph.New()))
	after := m.LogProbs(x)
	for r := range before {
		assert.InDelta(t, before[r], after[r], 1e-12)
	}

	assert.Equal(t, 6, f.HardenMasksTopK(1)) // 2 layers × the 3 rows that have a support
	assert.Empty(t, f.SoftLayers())
	for _, l := range f.Layers {
		require.NoError(t, l.(*layers.Injection).Validate())
	}
}
