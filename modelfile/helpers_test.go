package modelfile_test

import (
	"math"
	"math/rand"
	"testing"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/masks"
	"github.com/affineflow/flow/modelfile"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// layerFn builds one layer of width d.
type layerFn func(d int, rng *rand.Rand) (layers.Layer, error)

// flowCase is a flow of width dim with a diagonal, a Student-t or a standard normal base.
type flowCase struct {
	name    string
	dim     int
	diag    bool
	nu      float64 // > 0: a Student-t base with nu degrees of freedom
	mixture int     // > 0: a mixture base of this many components
	learnNu bool    // with nu: the Student-t's ν is learned
	// madeMixture: with mixture, the base is MADE MoG (reversed order, tanh, clamp 2)
	madeMixture bool
	layers      []layerFn
}

func made(order func(d int) masks.Degrees, s layers.AffineSettings) layerFn {
	return func(d int, rng *rand.Rand) (layers.Layer, error) { return layers.NewAffineInjection(order(d), s, rng) }
}

func injection(order func(d int) masks.Degrees, s layers.InjectionSettings, mask func(masks.Degrees, *rand.Rand) *mat.Dense) layerFn {
	return func(d int, rng *rand.Rand) (layers.Layer, error) {
		o := order(d)
		if mask != nil {
			s.Mask = mask(o, rng)
		}
		return layers.NewInjection(o, s, rng)
	}
}

func blocks(sizes ...int) func(int) masks.Degrees {
	return func(int) masks.Degrees {
		d, err := masks.Blocks(sizes)
		if err != nil {
			panic(err)
		}
		return d
	}
}

func randomOrder(seed int64) func(int) masks.Degrees {
	return func(d int) masks.Degrees { return masks.Random(d, rand.New(rand.NewSource(seed))) }
}

// softMask has random values in (0.1, 1) on the order's support.
func softMask(o masks.Degrees, rng *rand.Rand) *mat.Dense {
	m := masks.Dependency(o)
	m.Apply(func(_, _ int, v float64) float64 { return v * (0.1 + 0.9*rng.Float64()) }, m)
	return m
}

// sparseMask keeps one allowed input per output.
func sparseMask(o masks.Degrees, _ *rand.Rand) *mat.Dense { return masks.TopK(masks.Dependency(o), 1) }

func permutation(d int, _ *rand.Rand) (layers.Layer, error) { return layers.Reverse(d), nil }

func randomPermutation(d int, rng *rand.Rand) (layers.Layer, error) {
	return layers.RandomPermutation(d, rng), nil
}

func linear(d int, rng *rand.Rand) (layers.Layer, error) { return layers.NewLinear(d, rng), nil }

func identityLinear(d int, _ *rand.Rand) (layers.Layer, error) { return layers.NewLinear(d, nil), nil }

// blockLinear is a block-diagonal Linear (a random rotation inside each block).
func blockLinear(sizes ...int) layerFn {
	return func(_ int, rng *rand.Rand) (layers.Layer, error) {
		return layers.NewBlockLinear(blocks(sizes...)(0), rng)
	}
}

func actNorm(d int, rng *rand.Rand) (layers.Layer, error) {
	l := layers.NewActNorm(d)
	l.InitFromData(data(20, d, rng))
	return l, nil
}

// bounded bounds every other column to (−4, 5) (the test rows lie inside).
func bounded(d int, _ *rand.Rand) (layers.Layer, error) {
	lo, hi := make([]float64, d), make([]float64, d)
	for j := range d {
		lo[j], hi[j] = math.Inf(-1), math.Inf(1)
		if j%2 == 0 {
			lo[j], hi[j] = -4, 5
		}
	}
	return layers.NewBounded(lo, hi)
}

// halfBounded bounds column 0 below at −5 and the last column above at 6 (the test rows lie inside).
func halfBounded(d int, _ *rand.Rand) (layers.Layer, error) {
	side, bound := make([]int, d), make([]float64, d)
	side[0], bound[0] = 1, -5
	side[d-1], bound[d-1] = -1, 6
	return layers.NewHalfBounded(side, bound)
}

func standardize(d int, rng *rand.Rand) (layers.Layer, error) {
	mean, std := make([]float64, d), make([]float64, d)
	for j := range mean {
		mean[j], std[j] = rng.NormFloat64(), 0.5+rng.Float64()
	}
	return layers.NewStandardize(mean, std), nil
}

// flowCases covers every layer kind, mask kind, activation and base.
func flowCases() []flowCase {
	small := []int{8, 8}
	var cs []flowCase
	add := func(name string, dim int, diag bool, ls ...layerFn) {
		cs = append(cs, flowCase{name: name, dim: dim, diag: diag, layers: ls})
	}
	add("made/natural", 4, true, made(masks.Natural, layers.AffineSettings{Hidden: small}))
	add("made/reversed", 4, false, made(masks.Reversed, layers.AffineSettings{Hidden: small}))
	add("made/blocks-2-2", 4, true, made(blocks(2, 2), layers.AffineSettings{Hidden: small}))
	add("made/blocks-1-2-1", 4, false, made(blocks(1, 2, 1), layers.AffineSettings{Hidden: small}))
	add("made/random-order", 5, true, made(randomOrder(3), layers.AffineSettings{Hidden: small}))
	add("made/random-degrees", 5, false, made(masks.Natural, layers.AffineSettings{Hidden: []int{9, 7}, RandomDegrees: true}))
	add("made/residual", 4, true, made(masks.Natural, layers.AffineSettings{Hidden: []int{8, 8, 8}, Residual: true}))
	add("made/no-clamp", 3, false, made(masks.Reversed, layers.AffineSettings{Hidden: small, ScaleClamp: -1}))
	add("made/clamp-0.7", 3, false, made(masks.Natural, layers.AffineSettings{Hidden: small, ScaleClamp: 0.7}))
	add("made/one-hidden", 3, false, made(masks.Reversed, layers.AffineSettings{Hidden: []int{5}}))
	add("made/D=1", 1, true, made(masks.Natural, layers.AffineSettings{Hidden: []int{4}}))
	for _, a := range layers.Activations {
		add("made/act="+string(a), 3, false, made(masks.Natural, layers.AffineSettings{Hidden: []int{6, 6}, Activation: a}))
		add("injection/act="+string(a), 3, false, injection(masks.Reversed, layers.InjectionSettings{Hidden: []int{6, 6}, Activation: a}, nil))
	}
	add("injection/hard", 4, true, injection(masks.Natural, layers.InjectionSettings{Hidden: small}, nil))
	add("injection/sparse", 5, false, injection(randomOrder(4), layers.InjectionSettings{Hidden: small, Embedding: 2}, sparseMask))
	add("injection/soft", 4, true, injection(randomOrder(5), layers.InjectionSettings{Hidden: small, Embedding: 3}, softMask))
	add("injection/blocks", 5, false, injection(blocks(1, 2, 2), layers.InjectionSettings{Hidden: small}, softMask))
	add("injection/residual", 3, true, injection(masks.Natural, layers.InjectionSettings{Hidden: []int{6, 6, 6}, Residual: true, ScaleClamp: -1}, nil))
	add("injection/learned-soft", 4, true, learnedInjection(randomOrder(6))) // soft_test.go
	add("made/soft-gates", 4, false, gatedMADE(masks.Reversed))
	add("soft-stack", 5, true, gatedMADE(masks.Natural), linear, learnedInjection(masks.Reversed))
	add("permutation/reverse", 4, false, permutation)
	add("permutation/random", 6, true, randomPermutation)
	add("linear/rotation", 4, false, linear)
	add("linear/identity", 3, true, identityLinear)
	add("linear/blocks", 5, false, blockLinear(2, 1, 2))
	add("block-step", 5, true, made(blocks(2, 3), layers.AffineSettings{Hidden: small}), blockLinear(2, 3))
	add("actnorm", 3, false, actNorm)
	add("standardize", 3, true, standardize)
	add("bounded", 3, false, bounded)
	add("half-bounded", 3, true, halfBounded)
	add("spline/made", 4, false, made(masks.Natural, layers.AffineSettings{Hidden: small, Elementwise: layers.Spline(5, 1.5)}))
	add("spline/made-blocks-context-free", 5, true, made(blocks(2, 3), layers.AffineSettings{Hidden: small, Elementwise: layers.Spline(8, 0)}))
	add("spline/injection", 3, false, injection(masks.Reversed, layers.InjectionSettings{Hidden: small, Elementwise: layers.Spline(4, 1)}, softMask))
	add("spline/stack", 4, true, made(masks.Natural, layers.AffineSettings{Hidden: small, Elementwise: layers.Spline(6, 2)}), permutation,
		made(masks.Reversed, layers.AffineSettings{Hidden: small}), actNorm)
	add("base/standard", 2, false)
	add("base/diagonal", 3, true)
	cs = append(cs, flowCase{name: "base/student-t-learned", dim: 3, nu: 6, learnNu: true, layers: []layerFn{made(masks.Natural, layers.AffineSettings{Hidden: small})}})
	cs = append(cs, flowCase{name: "base/mixture", dim: 3, mixture: 4, layers: []layerFn{made(masks.Natural, layers.AffineSettings{Hidden: small})}})
	cs = append(cs, flowCase{name: "base/made-mixture", dim: 3, mixture: 3, madeMixture: true, layers: []layerFn{made(masks.Natural, layers.AffineSettings{Hidden: small})}})
	cs = append(cs, flowCase{name: "base/made-mixture-D=1", dim: 1, mixture: 2, madeMixture: true})
	cs = append(cs, flowCase{name: "base/student-t", dim: 3, nu: 4, layers: []layerFn{made(masks.Natural, layers.AffineSettings{Hidden: small})}})
	add("mixed", 4, true, standardize, made(masks.Natural, layers.AffineSettings{Hidden: small}), permutation,
		linear, injection(masks.Reversed, layers.InjectionSettings{Hidden: small}, softMask), actNorm,
		made(blocks(1, 3), layers.AffineSettings{Hidden: small, Activation: layers.Tanh}), randomPermutation)
	return cs
}

// build returns the case's flow with every parameter perturbed, so that no map is the identity.
func (c flowCase) build(t testing.TB, seed int64) *distributions.Flow {
	t.Helper()
	rng := rand.New(rand.NewSource(seed))
	f := &distributions.Flow{Base: distributions.StandardNormal{D: c.dim}}
	if c.diag {
		f.Base = distributions.NewDiagonalNormal(c.dim)
	}
	if c.nu > 0 {
		f.Base = distributions.StudentT{D: c.dim, Nu: c.nu}
	}
	if c.learnNu {
		b, err := distributions.NewLearnedStudentT(c.dim, c.nu)
		require.NoError(t, err)
		f.Base = b
	}
	if c.madeMixture {
		m, err := distributions.NewMADEMixture(masks.Reversed(c.dim), c.mixture,
			layers.AffineSettings{Hidden: []int{7, 5}, Activation: layers.Tanh, ScaleClamp: 2}, rng)
		require.NoError(t, err)
		f.Base = m
	} else if c.mixture > 0 {
		m, err := distributions.NewMixture(c.dim, c.mixture, rng)
		require.NoError(t, err)
		f.Base = m
	}
	for k, fn := range c.layers {
		l, err := fn(c.dim, rng)
		require.NoError(t, err, "layer %d", k)
		f.Layers = append(f.Layers, l)
	}
	for _, p := range f.Params() {
		for i, v := range p.Data() {
			p.Data()[i] = v + 0.3*rng.NormFloat64()
		}
	}
	require.NoError(t, f.Validate())
	return f
}

// data returns n rows of width d, roughly standard normal.
func data(n, d int, rng *rand.Rand) *mat.Dense {
	x := mat.NewDense(n, d, nil)
	x.Apply(func(_, _ int, _ float64) float64 { return 1.3 * rng.NormFloat64() }, x)
	return x
}

func testMeta() modelfile.Meta {
	return modelfile.Meta{"columns": []string{"a", "b"}, "seed": 7, "test_nll": 1.25, "command": "flow train -seed 7"}
}

// dataRows is data(13, d, ·) with a fixed seed.
func dataRows(t *testing.T, d int) *mat.Dense {
	t.Helper()
	return data(13, d, rand.New(rand.NewSource(42)))
}
