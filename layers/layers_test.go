package layers_test

import (
	"math"
	"math/rand"
	"testing"

	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/layers/layertest"
	"github.com/affineflow/flow/masks"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

func made(order masks.Degrees, s layers.AffineSettings) func(*rand.Rand) (layers.Layer, error) {
	return func(rng *rand.Rand) (layers.Layer, error) { return layers.NewAffineInjection(order, s, rng) }
}

// blockAffine is one step of a "block" stack: the affine injection with block degrees, then a
// block-diagonal Linear mixing each block.
func blockAffine(deg masks.Degrees, s layers.AffineSettings) func(*rand.Rand) (layers.Layer, error) {
	return func(rng *rand.Rand) (layers.Layer, error) {
		a, err := layers.NewAffineInjection(deg, s, rng)
		if err != nil {
			return nil, err
		}
		bl, err := layers.NewBlockLinear(deg, rng)
		if err != nil {
			return nil, err
		}
		return layers.Sequence{a, bl}, nil
	}
}

func injection(order masks.Degrees, s layers.InjectionSettings) func(*rand.Rand) (layers.Layer, error) {
	return func(rng *rand.Rand) (layers.Layer, error) { return layers.NewInjection(order, s, rng) }
}

func mustBlocks(sizes ...int) masks.Degrees {
	d, err := masks.Blocks(sizes)
	if err != nil {
		panic(err)
	}
	return d
}

// softMask returns random values in (0,1) on the order's support.
func softMask(order masks.Degrees, seed int64) *mat.Dense {
	rng := rand.New(rand.NewSource(seed))
	m := masks.Dependency(order)
	m.Apply(func(_, _ int, v float64) float64 { return v * (0.1 + 0.9*rng.Float64()) }, m)
	return m
}

// sparseMask keeps every other allowed entry of the order's support.
func sparseMask(order masks.Degrees) *mat.Dense {
	m := masks.Dependency(order)
	k := 0
	m.Apply(func(_, _ int, v float64) float64 {
		if v == 0 {
			return 0
		}
		k++
		return float64(k % 2)
	}, m)
	return m
}

// Cases is the conformance table: every layer kind and mask kind, one row each.
func cases() []layertest.Case {
	small := []int{16, 16}
	rnd := masks.Random(5, rand.New(rand.NewSource(3)))
	var cs []layertest.Case
	add := func(name string, f func(*rand.Rand) (layers.Layer, error)) {
		cs = append(cs, layertest.Case{Name: name, New: f})
	}
	add("made/natural", made(masks.Natural(4), layers.AffineSettings{Hidden: small}))
	add("made/reversed", made(masks.Reversed(4), layers.AffineSettings{Hidden: small}))
	add("made/random-order", made(rnd, layers.AffineSettings{Hidden: small}))
	add("made/random-degrees", made(masks.Natural(5), layers.AffineSettings{Hidden: []int{12, 12}, RandomDegrees: true}))
	add("made/residual", made(masks.Natural(4), layers.AffineSettings{Hidden: []int{12, 12, 12}, Residual: true}))
	add("made/one-hidden", made(masks.Reversed(3), layers.AffineSettings{Hidden: []int{8}}))
	add("made/no-clamp", made(masks.Natural(3), layers.AffineSettings{Hidden: small, ScaleClamp: -1}))
	add("made/blocks-2-3", made(mustBlocks(2, 3), layers.AffineSettings{Hidden: small}))
	add("made/blocks-1-1-1-1", made(mustBlocks(1, 1, 1, 1), layers.AffineSettings{Hidden: small}))
	// wide conditioners: the numeric paths chunk maps of 64+ outputs by their masks' row ranges
	add("made/wide", made(masks.Natural(8), layers.AffineSettings{Hidden: []int{96, 128}}))
	add("made/wide-reversed-random-degrees", made(masks.Reversed(10), layers.AffineSettings{Hidden: []int{80, 80}, RandomDegrees: true}))
	add("made/wide-residual", made(masks.Natural(6), layers.AffineSettings{Hidden: []int{64, 64, 64}, Residual: true}))
	add("made/wide-blocks", made(mustBlocks(3, 4, 3), layers.AffineSettings{Hidden: []int{70, 70}}))
	for _, a := range layers.Activations {
		add("made/act="+string(a), made(masks.Natural(3), layers.AffineSettings{Hidden: []int{8, 8}, Activation: a}))
	}
	add("injection/full", injection(masks.Natural(4), layers.InjectionSettings{Hidden: small}))
	add("injection/reversed", injection(masks.Reversed(4), layers.InjectionSettings{Hidden: small, Embedding: 2}))
	add("injection/soft", injection(rnd, layers.InjectionSettings{Hidden: small, Mask: softMask(rnd, 1)}))
	add("injection/sparse", injection(masks.Natural(5), layers.InjectionSettings{Hidden: small, Mask: sparseMask(masks.Natural(5))}))
	add("injection/blocks", injection(mustBlocks(1, 2, 2), layers.InjectionSettings{Hidden: small}))
	add("injection/one-map", injection(masks.Natural(3), layers.InjectionSettings{Hidden: []int{6}}))
	add("injection/residual-tanh", injection(masks.Natural(3), layers.InjectionSettings{Hidden: []int{6, 6, 6}, Residual: true, Activation: layers.Tanh}))
	// block-triangular layers: the block-diagonal Linear alone, and a "block" stack step
	// (AffineInjection with block degrees, then the Linear mixing inside each block)
	add("linear/blocks-2-3", func(rng *rand.Rand) (layers.Layer, error) { return layers.NewBlockLinear(mustBlocks(2, 3), rng) })
	add("linear/blocks-random-order", func(rng *rand.Rand) (layers.Layer, error) {
		deg, err := masks.BlocksOf([]int{1, 3, 2}, []int{4, 0, 5, 2, 1, 3})
		if err != nil {
			return nil, err
		}
		return layers.NewBlockLinear(deg, rng)
	})
	add("block-affine/2-3", blockAffine(mustBlocks(2, 3), layers.AffineSettings{Hidden: small}))
	add("block-affine/reversed-1-2-2", blockAffine(mustBlocks(1, 2, 2).Reverse(), layers.AffineSettings{Hidden: small}))
	add("block-affine/wide-3-4-3", blockAffine(mustBlocks(3, 4, 3), layers.AffineSettings{Hidden: []int{70, 70}}))
	// context (conditional) inputs: every output must depend on the context
	add("made/context-2", made(masks.Natural(4), layers.AffineSettings{Hidden: small, Context: 2}))
	add("made/context-reversed-random-degrees", made(masks.Reversed(4), layers.AffineSettings{Hidden: small, Context: 1, RandomDegrees: true}))
	add("made/context-residual-elu", made(masks.Natural(3), layers.AffineSettings{Hidden: []int{9, 9, 9}, Context: 2, Residual: true, Activation: layers.ELU}))
	add("made/context-wide", made(masks.Reversed(6), layers.AffineSettings{Hidden: []int{80, 80}, Context: 3}))
	add("made/context-D=1", made(masks.Natural(1), layers.AffineSettings{Hidden: []int{6}, Context: 2}))
	add("block-affine/context", blockAffine(mustBlocks(2, 2), layers.AffineSettings{Hidden: small, Context: 2}))
	// rational-quadratic spline transforms on the same conditioners (bounds small enough that some
	// of layertest's N(0, 1) rows fall in the identity tails)
	add("spline/natural", made(masks.Natural(4), layers.AffineSettings{Hidden: small, Elementwise: layers.Spline(8, 0)}))
	add("spline/reversed-tails", made(masks.Reversed(4), layers.AffineSettings{Hidden: small, Elementwise: layers.Spline(4, 1)}))
	add("spline/K=2", made(masks.Natural(3), layers.AffineSettings{Hidden: []int{8}, Elementwise: layers.Spline(2, 1.5)}))
	add("spline/random-degrees", made(masks.Natural(5), layers.AffineSettings{Hidden: []int{12, 12}, RandomDegrees: true, Elementwise: layers.Spline(3, 2)}))
	add("spline/injection", injection(masks.Reversed(4), layers.InjectionSettings{Hidden: small, Elementwise: layers.Spline(5, 2)}))
	add("spline/injection-soft-context", injection(rnd, layers.InjectionSettings{Hidden: small, LearnMask: true, Context: 2, Elementwise: layers.Spline(3, 1.5)}))
	cs = append(cs, layertest.Case{Name: "spline/wide", Perturb: 0.1,
		New: made(masks.Reversed(8), layers.AffineSettings{Hidden: []int{96, 128}, Elementwise: layers.Spline(8, 2)})})
	add("spline/blocks", made(mustBlocks(2, 3), layers.AffineSettings{Hidden: small, Elementwise: layers.Spline(5, 2)}))
	add("spline/block-affine", blockAffine(mustBlocks(2, 2), layers.AffineSettings{Hidden: small, Elementwise: layers.Spline(6, 1.5)}))
	add("spline/context-residual", made(masks.Natural(3), layers.AffineSettings{Hidden: []int{9, 9, 9}, Context: 2, Residual: true, Elementwise: layers.Spline(4, 2)}))
	add("permutation/reverse", func(*rand.Rand) (layers.Layer, error) { return layers.Reverse(4), nil })
	add("permutation/random", func(rng *rand.Rand) (layers.Layer, error) { return layers.RandomPermutation(5, rng), nil })
	add("linear/rotation", func(rng *rand.Rand) (layers.Layer, error) { return layers.NewLinear(4, rng), nil })
	add("linear/identity", func(*rand.Rand) (layers.Layer, error) { return layers.NewLinear(3, nil), nil })
	add("actnorm", func(rng *rand.Rand) (layers.Layer, error) {
		l := layers.NewActNorm(3)
		x := mat.NewDense(10, 3, nil)
		x.Apply(func(_, _ int, _ float64) float64 { return 2 + 3*rng.NormFloat64() }, x)
		l.InitFromData(x)
		return l, nil
	})
	add("bounded", func(*rand.Rand) (layers.Layer, error) { // layertest's x ~ N(0, 1) lies inside
		inf := math.Inf(1)
		return layers.NewBounded([]float64{-10, -inf, -5}, []float64{10, inf, 8})
	})
	add("half-bounded", func(*rand.Rand) (layers.Layer, error) { // x ~ N(0, 1) inside the supports
		return layers.NewHalfBounded([]int{1, 0, -1}, []float64{-9, 0, 7})
	})
	add("standardize", func(*rand.Rand) (layers.Layer, error) {
		return layers.NewStandardize([]float64{1, -2, 0.5}, []float64{2, 0.5, 3}), nil
	})
	add("standardize/from-data", func(rng *rand.Rand) (layers.Layer, error) {
		x := mat.NewDense(20, 3, nil)
		x.Apply(func(_, j int, _ float64) float64 { return float64(j) + 0.1*float64(j+1)*rng.NormFloat64() }, x)
		return layers.StandardizeFrom(x), nil
	})
	cs = append(cs, softCases()...) // soft_test.go
	cs = append(cs, layertest.Case{Name: "made/D=1", New: made(masks.Natural(1), layers.AffineSettings{Hidden: []int{4}}), StructuralZeroGrad: true})
	return cs
}

func TestConformance(t *testing.T) { layertest.Run(t, cases()) }

// Every layer with a graph inverse passes the suite inverted too (IAF direction): its density path
// is then the graph inverse, its sampling path the forward.
func TestConformanceInverted(t *testing.T) {
	var inv []layertest.Case
	for _, c := range cases() {
		probe, err := c.New(rand.New(rand.NewSource(1)))
		require.NoError(t, err, c.Name)
		if layers.CanInvertGraph(probe) != nil {
			continue
		}
		c.Name, c.New = "inverted/"+c.Name, invert(c.New)
		inv = append(inv, c)
	}
	require.Greater(t, len(inv), 30)
	layertest.Run(t, inv)
}

func invert(f func(*rand.Rand) (layers.Layer, error)) func(*rand.Rand) (layers.Layer, error) {
	return func(rng *rand.Rand) (layers.Layer, error) {
		l, err := f(rng)
		if err != nil {
			return nil, err
		}
		return layers.Invert(l)
	}
}

// Only layers with a graph inverse can be inverted; the refusal names the layer.
func TestInvertRefusals(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	_, err := layers.Invert(layers.NewLinear(3, rng))
	require.ErrorContains(t, err, "*layers.Linear layer has no graph inverse")
	sp, err := layers.NewAffineInjection(masks.Natural(3), layers.AffineSettings{Elementwise: layers.Spline(4, 0)}, rng)
	require.NoError(t, err)
	_, err = layers.Invert(sp)
	require.ErrorContains(t, err, "spline")
	require.Equal(t, 3, layers.Chains(masks.Dependency(masks.Natural(3))))
	require.Equal(t, 2, layers.Chains(masks.Dependency(mustBlocks(2, 3))))
	require.Equal(t, 1, layers.Chains(mat.NewDense(2, 2, nil)))
}

func TestAffineInjectionRefusals(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	_, err := layers.NewAffineInjection(masks.Natural(4), layers.AffineSettings{Hidden: []int{8, 8}, Residual: true, RandomDegrees: true}, rng)
	require.ErrorContains(t, err, "residual blocks need the same hidden degrees")
	_, err = layers.NewAffineInjection(masks.Natural(4), layers.AffineSettings{Hidden: []int{8, 6}, Residual: true}, rng)
	require.ErrorContains(t, err, "equal hidden widths")
	l, err := layers.NewAffineInjection(masks.Natural(4), layers.AffineSettings{Hidden: []int{8, 8}, Residual: true}, rng)
	require.NoError(t, err)
	require.NoError(t, l.Validate())
	// Only the skip path joins map 0 to the output when map 1's mask is zero; an output mask that
	// takes every hidden unit for degree 1 then lets output degree 2 see inputs of degree 3 through
	// it, which Validate must see.
	l.Net.Layers[1].Mask.Zero()
	ones := make(masks.Degrees, 8)
	for i := range ones {
		ones[i] = 1
	}
	l.Net.Layers[2].Mask.Copy(masks.Between(ones, masks.Repeat(masks.Natural(4), 2), true))
	require.ErrorContains(t, l.Validate(), "sees input")
	_, err = layers.NewAffineInjection(masks.Degrees{1, 3, 3}, layers.AffineSettings{}, rng)
	require.Error(t, err)
}
