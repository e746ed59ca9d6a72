package layers_test

import (
	"math"
	"math/rand"
	"testing"

	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/layers/layertest"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// rotation returns a random d×d orthogonal matrix.
func rotation(d int, rng *rand.Rand) *mat.Dense {
	g := mat.NewDense(d, d, nil)
	g.Apply(func(_, _ int, _ float64) float64 { return rng.NormFloat64() }, g)
	var qr mat.QR
	qr.Factorize(g)
	q := mat.NewDense(d, d, nil)
	qr.QTo(q)
	return q
}

// withSingularValues returns Q₁·diag(s)·Q₂ for random rotations Q₁, Q₂: κ₂ = max s / min s.
func withSingularValues(s []float64, rng *rand.Rand) *mat.Dense {
	d := len(s)
	q1, q2 := rotation(d, rng), rotation(d, rng)
	q1.Apply(func(_, j int, v float64) float64 { return v * s[j] }, q1)
	w := mat.NewDense(d, d, nil)
	w.Mul(q1, q2)
	return w
}

// maxRowError returns max over rows of ‖got_i − want_i‖₂ / ‖want_i‖₂.
func maxRowError(got, want *mat.Dense) float64 {
	n, _ := want.Dims()
	worst := 0.0
	for i := 0; i < n; i++ {
		var diff mat.VecDense
		diff.SubVec(got.RowView(i), want.RowView(i))
		worst = math.Max(worst, mat.Norm(&diff, 2)/mat.Norm(want.RowView(i), 2))
	}
	return worst
}

// TestLinearInverseAccuracy: x → Transform → Inverse gives x back to within a small multiple of
// κ·ε, κ the condition number that governs the solve: κ₂(W) for a general W, and the condition
// number after column scaling for a W whose columns differ in scale by 2⁷⁰ (κ₂(W) ≈ 1e21, beyond
// what an explicit inverse survives; the triangular solves are invariant under such scaling).
func TestLinearInverseAccuracy(t *testing.T) {
	const d, n = 6, 50
	eps := math.Nextafter(1, 2) - 1
	logspace := func(lo, hi float64) []float64 {
		s := make([]float64, d)
		for i := range s {
			s[i] = math.Pow(10, lo+(hi-lo)*float64(i)/float64(d-1))
		}
		return s
	}
	for _, c := range []struct {
		name  string
		w     func(rng *rand.Rand) *mat.Dense
		kappa float64 // the condition number that bounds the error
	}{
		{"rotation", func(rng *rand.Rand) *mat.Dense { return rotation(d, rng) }, 1},
		{"well conditioned", func(rng *rand.Rand) *mat.Dense { return withSingularValues(logspace(0, 1), rng) }, 10},
		{"ill conditioned", func(rng *rand.Rand) *mat.Dense { return withSingularValues(logspace(0, -10), rng) }, 1e10},
		{"badly scaled columns", func(rng *rand.Rand) *mat.Dense {
			w := rotation(d, rng)
			w.Apply(func(_, j int, v float64) float64 { return math.Ldexp(v, -14*j) }, w) // 2⁰ … 2⁻⁷⁰
			return w
		}, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			rng := rand.New(rand.NewSource(3))
			w := c.w(rng)
			bias := make([]float64, d)
			for j := range bias {
				bias[j] = 0.5 * rng.NormFloat64() * mat.Norm(w.ColView(j), 2)
			}
			l, err := layers.NewLinearFromWeight(w, bias)
			require.NoError(t, err)
			x := mat.NewDense(n, d, nil)
			x.Apply(func(_, _ int, _ float64) float64 { return rng.NormFloat64() }, x)
			y, fwd := l.Transform(x)
			back, inv := l.Inverse(y)
			tol := 10 * d * c.kappa * eps
			require.LessOrEqual(t, maxRowError(back, x), tol, "round trip error beyond 10·d·κ·ε")
			require.Equal(t, fwd, inv)
		})
	}
}

// TestLinearInverseSingular: a zero pivot of U (LogDiag = −Inf, or exp underflowing to 0) makes W
// singular; the inverse then returns non-finite values in every row, never substituted zeros.
func TestLinearInverseSingular(t *testing.T) {
	for _, c := range []struct {
		name    string
		logdiag float64
	}{
		{"log-diagonal -Inf", math.Inf(-1)},
		{"exp underflows", -800},
	} {
		t.Run(c.name, func(t *testing.T) {
			rng := rand.New(rand.NewSource(5))
			l := layers.NewLinear(5, rng)
			layertest.Perturb(l, rng, 0.3)
			l.LogDiag.Data()[2] = c.logdiag
			y := mat.NewDense(7, 5, nil)
			y.Apply(func(_, _ int, _ float64) float64 { return rng.NormFloat64() }, y)
			x, ld := l.Inverse(y)
			for i := 0; i < 7; i++ {
				nonFinite := 0
				for _, v := range x.RawRowView(i) {
					if math.IsNaN(v) || math.IsInf(v, 0) {
						nonFinite++
					}
				}
				require.Positive(t, nonFinite, "row %d of the inverse is finite: %v", i, x.RawRowView(i))
				require.True(t, math.IsInf(ld[i], -1) || ld[i] < -700, "log|det| %g", ld[i])
			}
		})
	}
}

// TestLinearInverseNeedsPermutation: a P that is not a permutation matrix is refused, not used.
func TestLinearInverseNeedsPermutation(t *testing.T) {
	l := layers.NewLinear(3, nil)
	l.P.Set(0, 1, 1) // row 0 now has two ones
	require.Panics(t, func() { l.Inverse(mat.NewDense(2, 3, nil)) })
}
