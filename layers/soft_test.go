package layers_test

import (
	"math"
	"math/rand"
	"testing"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/graph"
	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/layers/layertest"
	"github.com/affineflow/flow/masks"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
	G "gorgonia.org/gorgonia"
)

func learned(order masks.Degrees, s layers.InjectionSettings) func(*rand.Rand) (layers.Layer, error) {
	s.LearnMask = true
	return injection(order, s)
}

func gated(order masks.Degrees, s layers.AffineSettings) func(*rand.Rand) (layers.Layer, error) {
	return func(rng *rand.Rand) (layers.Layer, error) {
		l, err := layers.NewAffineInjection(order, s, rng)
		if err != nil {
			return nil, err
		}
		return l, l.LearnGates(layers.DefaultMaskInit)
	}
}

// hardened builds a soft layer, spreads its mask logits over N(0, 2²) so that about half fall
// below thr = 0.5, and hardens it: the fixed-mask layer a fine-tuning run starts from.
func hardened(f func(*rand.Rand) (layers.Layer, error)) func(*rand.Rand) (layers.Layer, error) {
	return func(rng *rand.Rand) (layers.Layer, error) {
		l, err := f(rng)
		if err != nil {
			return nil, err
		}
		for _, p := range l.Params() {
			if p.Name == "inj.mask_logits" || p.Name == "made0.gate" {
				for i := range p.Data() {
					p.Data()[i] = 2 * rng.NormFloat64()
				}
			}
		}
		l.(layers.SoftMasked).Harden(0.5)
		return l, nil
	}
}

// softCases are the conformance rows of learnable masks and gates, soft and hardened.
func softCases() []layertest.Case {
	small := []int{16, 16}
	rnd := masks.Random(5, rand.New(rand.NewSource(4)))
	var cs []layertest.Case
	add := func(name string, f func(*rand.Rand) (layers.Layer, error)) {
		cs = append(cs, layertest.Case{Name: name, New: f})
	}
	add("injection/learned-soft", learned(rnd, layers.InjectionSettings{Hidden: small}))
	add("injection/learned-soft-natural", learned(masks.Natural(4), layers.InjectionSettings{Hidden: []int{8}, MaskInit: 0.9}))
	add("injection/learned-soft-sparse-support", learned(masks.Natural(5), layers.InjectionSettings{Hidden: small, Mask: sparseMask(masks.Natural(5))}))
	add("injection/learned-soft-blocks", learned(mustBlocks(2, 1, 2), layers.InjectionSettings{Hidden: small, Activation: layers.Tanh}))
	add("injection/learned-hardened", hardened(learned(rnd, layers.InjectionSettings{Hidden: small})))
	add("made/soft-gates", gated(masks.Natural(4), layers.AffineSettings{Hidden: small}))
	add("made/soft-gates-random-order", gated(rnd, layers.AffineSettings{Hidden: []int{12}}))
	add("made/soft-gates-residual", gated(masks.Reversed(4), layers.AffineSettings{Hidden: []int{12, 12, 12}, Residual: true}))
	add("made/soft-gates-wide", gated(masks.Natural(8), layers.AffineSettings{Hidden: []int{96, 80}}))
	add("made/soft-gates-spline", gated(masks.Reversed(5), layers.AffineSettings{Hidden: []int{40, 40}, Elementwise: layers.Spline(4, 2)}))
	add("made/soft-gates-hardened", hardened(gated(masks.Natural(5), layers.AffineSettings{Hidden: small})))
	// the registered mask kinds, as distributions.Build makes them (second layer: reversed order)
	for _, kind := range []string{"soft", "made-soft"} {
		add("kind/"+kind, func(rng *rand.Rand) (layers.Layer, error) {
			f, err := distributions.Build(4, distributions.Spec{Layers: 2, Mask: kind, Hidden: small}, rng)
			if err != nil {
				return nil, err
			}
			return f.Layers[1], nil
		})
	}
	return cs
}

// The effective mask is σ(L) ⊙ S from the current logits (no stale copy), zero outside S whatever
// the logits, and Harden/HardenTopK give the expected 0/1 masks.
func TestLearnedMask(t *testing.T) {
	order := masks.Natural(3)
	l, err := layers.NewInjection(order, layers.InjectionSettings{Hidden: []int{4}, LearnMask: true, MaskInit: 0.9}, rand.New(rand.NewSource(1)))
	require.NoError(t, err)
	require.True(t, l.Soft())
	require.Contains(t, l.Params(), l.Logits)
	m := l.EffectiveMask()
	assert.InDelta(t, 0.9, m.At(1, 0), 1e-12)
	assert.InDelta(t, 0.9, m.At(2, 1), 1e-12)
	assert.Equal(t, 0.0, m.At(0, 1))
	// logits far from zero: the mask follows them, and stays 0 off the support
	lv := l.Logits.Data()
	for i := range lv {
		lv[i] = 50
	}
	lv[2*3+0] = math.Log(0.2 / 0.8) // M[2][0] = 0.2
	lv[1*3+0] = -3                  // M[1][0] = σ(-3)
	m = l.EffectiveMask()
	require.NoError(t, masks.CheckDependency(m, order))
	assert.InDelta(t, 0.2, m.At(2, 0), 1e-12)
	assert.InDelta(t, 1/(1+math.Exp(3)), m.At(1, 0), 1e-12)
	assert.Equal(t, 1.0, m.At(2, 1))
	for i := 0; i < 3; i++ {
		for j := i; j < 3; j++ {
			assert.Equal(t, 0.0, m.At(i, j), "M[%d][%d] outside the support", i, j)
		}
	}
	// the graph's mask sum is Σ M
	g := graph.New()
	sum := l.MaskSum(g)
	vm := G.NewTapeMachine(g.ExprGraph)
	require.NoError(t, vm.RunAll())
	vm.Close()
	assert.InDelta(t, mat.Sum(m), sum.Value().Data().(float64), 1e-12)

	top := layers.Injection{Order: l.Order, Mask: l.Mask, Embed: l.Embed, Net: layers.Net{Layers: l.Net.Layers, Act: l.Net.Act}, Clamp: l.Clamp, Logits: l.Logits}
	assert.Equal(t, 2, top.HardenTopK(1)) // rows 1 and 2 keep one entry each
	assert.Equal(t, []float64{0, 0, 0, 1, 0, 0, 0, 1, 0}, top.Mask.RawMatrix().Data)
	assert.Nil(t, top.Logits)
	assert.Equal(t, 1, l.Harden(0.5)) // only M[2][1] = 1 >= 0.5
	assert.Equal(t, []float64{0, 0, 0, 0, 0, 0, 0, 1, 0}, l.Mask.RawMatrix().Data)
	assert.False(t, l.Soft())
	assert.NotContains(t, l.Params(), (*graph.Param)(nil))
	require.NoError(t, l.Validate())
}

// Hardening gates keeps the function of the kept weights (gates folded into W) and removes the
// pruned ones; Strength is a normalized dependency matrix inside the order's support.
func TestGates(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	l, err := layers.NewAffineInjection(masks.Reversed(4), layers.AffineSettings{Hidden: []int{8, 8}}, rng)
	require.NoError(t, err)
	require.False(t, l.Soft())
	require.NoError(t, l.LearnGates(0.7))
	require.True(t, l.Soft())
	require.NoError(t, l.Validate())
	for _, p := range l.Params() {
		for i := range p.Data() {
			p.Data()[i] += 0.5 * rng.NormFloat64()
		}
	}
	x := mat.NewDense(6, 4, nil)
	x.Apply(func(_, _ int, _ float64) float64 { return rng.NormFloat64() }, x)
	before, _ := l.Transform(x)
	// all gates open enough: hardening at a threshold below every gate changes nothing
	kept := l.Harden(0.01)
	assert.Equal(t, int(mat.Sum(l.Net.Layers[0].Mask)), kept)
	after, _ := l.Transform(x)
	assert.True(t, mat.EqualApprox(before, after, 1e-12))
	assert.False(t, l.Soft())
	require.NoError(t, l.Validate())

	s := l.Strength()
	dep := masks.Dependency(l.Order)
	assert.InDelta(t, 1, mat.Max(s), 1e-12)
	r, c := s.Dims()
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			if dep.At(i, j) == 0 {
				assert.Equal(t, 0.0, s.At(i, j))
			} else {
				assert.Positive(t, s.At(i, j))
			}
		}
	}
	_, err = layers.NewAffineInjection(masks.Natural(3), layers.AffineSettings{}, rng)
	require.NoError(t, err)
	bad, _ := layers.NewAffineInjection(masks.Natural(3), layers.AffineSettings{Hidden: []int{4}}, rng)
	require.NoError(t, bad.LearnGates(0.5))
	bad.Net.Layers[0].Gate = graph.NewParam("g", nil, 2, 2)
	require.ErrorContains(t, bad.Validate(), "gate logits have shape")
}
