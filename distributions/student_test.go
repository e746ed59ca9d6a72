package distributions_test

import (
	"math"
	"math/rand"
	"testing"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/graph"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
	G "gorgonia.org/gorgonia"
)

// scaleMixture is the multivariate t density as what defines it, a normal whose precision is
// w/ν with w ~ χ²(ν): p(y) = ∫ N(y; 0, (ν/w) I) χ²_ν(w) dw, integrated numerically.
func scaleMixture(y []float64, nu float64) float64 {
	chi2 := distuv.ChiSquared{K: nu}
	sq := floats.Dot(y, y)
	d := float64(len(y))
	f := func(w float64) float64 {
		if w == 0 {
			return 0
		}
		return math.Exp(d/2*math.Log(w/(2*math.Pi*nu))-w*sq/(2*nu)) * chi2.Prob(w)
	}
	return math.Log(quad.Fixed(f, 0, math.Inf(1), 4000, nil, 0))
}

// The Student-t base is the normal scale mixture that defines it, gonum's univariate Student-t
// at D = 1, the same on both paths, and tends to N(0, I) as ν grows.
func TestStudentTLogProb(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	const d = 3
	y := randn(rng, 6, d)
	y.Set(5, 0, 40) // far in the tail
	for _, nu := range []float64{1, 2.5, 30} {
		b, err := distributions.NewStudentT(d, nu)
		require.NoError(t, err)
		got := b.LogProbs(y)
		for r := range got {
			require.InDelta(t, scaleMixture(y.RawRowView(r), nu), got[r], 1e-6, "ν=%v row %d", nu, r)
		}
		one, _ := distributions.NewStudentT(1, nu)
		uni := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: nu}
		for _, v := range []float64{0, -0.7, 3, 40} {
			require.InDelta(t, uni.LogProb(v), one.LogProbs(mat.NewDense(1, 1, []float64{v}))[0], 1e-12)
		}

		g := graph.New()
		lp := b.LogProb(g, g.Const(y))
		vm := G.NewTapeMachine(g.ExprGraph)
		require.NoError(t, vm.RunAll())
		vm.Close()
		require.InDeltaSlice(t, got, lp.Value().Data().([]float64), 1e-12)
	}
	big, err := distributions.NewStudentT(d, 1e9)
	require.NoError(t, err)
	require.InDeltaSlice(t, distributions.StandardNormal{D: d}.LogProbs(y)[:5], big.LogProbs(y)[:5], 1e-6)
	normal := distributions.StandardNormal{D: d}.LogProbs(y)[5]
	heavy, _ := distributions.NewStudentT(d, 5)
	require.Greater(t, heavy.LogProbs(y)[5], normal+700, "the tail row costs far less under the t")

	for _, nu := range []float64{0, -1, math.NaN(), math.Inf(1), 1e300, math.Nextafter(distributions.MaxNu, math.Inf(1))} {
		_, err := distributions.NewStudentT(d, nu)
		require.ErrorContains(t, err, "degrees of freedom", "ν=%v", nu)
	}
	_, err = distributions.NewStudentT(d, distributions.MaxNu)
	require.NoError(t, err)
}

// Samples have the t's variance ν/(ν−2) per coordinate, uncorrelated coordinates, and are
// reproducible from the rng.
func TestStudentTSample(t *testing.T) {
	b, _ := distributions.NewStudentT(2, 6)
	s := b.Sample(200000, rand.New(rand.NewSource(4)))
	for j := range 2 {
		col := mat.Col(nil, j, s)
		require.InDelta(t, 0, stat.Mean(col, nil), 0.01)
		require.InDelta(t, 6.0/4, stat.Variance(col, nil), 0.03)
	}
	require.InDelta(t, 0, stat.Correlation(mat.Col(nil, 0, s), mat.Col(nil, 1, s), nil), 0.01)
	require.Equal(t, mat.Row(nil, 7, s), mat.Row(nil, 7, b.Sample(200000, rand.New(rand.NewSource(4)))))
}
