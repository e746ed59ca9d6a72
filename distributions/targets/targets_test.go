package targets_test

import (
	"math"
	"math/rand"
	"testing"

	"github.com/affineflow/flow/distributions/targets"
	"github.com/affineflow/flow/graph"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// The graph formula and the numeric one agree at random points, for every target.
func TestGraphEqualsNumeric(t *testing.T) {
	for _, name := range targets.Names() {
		tg, err := targets.ByName(name)
		require.NoError(t, err)
		rng := rand.New(rand.NewSource(1))
		const n = 9
		x := mat.NewDense(n, tg.Dim, nil)
		x.Apply(func(_, _ int, _ float64) float64 { return 2 * rng.NormFloat64() }, x)
		g := graph.New()
		in := g.Input("x", n, tg.Dim)
		out := tg.LogDensity(g, in)
		vm := G.NewTapeMachine(g.ExprGraph)
		require.NoError(t, G.Let(in, tensor.New(tensor.WithShape(n, tg.Dim), tensor.WithBacking(mat.DenseCopyOf(x).RawMatrix().Data))))
		require.NoError(t, vm.RunAll())
		want := tg.LogDensities(x)
		require.InDeltaSlice(t, want, out.Value().Data().([]float64), 1e-10, name)
		vm.Close()
	}
	_, err := targets.ByName("u5")
	require.ErrorContains(t, err, "known: banana, funnel, ring, u1, u2, u3, u4")
}

// The targets with a normalizer are the densities they say: log p̃ − log Z at exact samples is
// the log-density written with gonum's distributions, and the grid integrates the 2-D ones to Z.
func TestNormalizedTargets(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	norm := func(x, mu, sd float64) float64 { return distuv.Normal{Mu: mu, Sigma: sd}.LogProb(x) }
	want := map[string]func(x []float64) float64{
		"banana": func(x []float64) float64 { return norm(x[0], 0, 1) + norm(x[1], x[0]*x[0]-1, 0.5) },
		"funnel": func(x []float64) float64 {
			lp := norm(x[0], 0, 3)
			for _, xi := range x[1:] {
				lp += norm(xi, 0, math.Exp(x[0]/2))
			}
			return lp
		},
		"ring": func(x []float64) float64 {
			p := 0.0
			for k := range 8 {
				a := 2 * math.Pi * float64(k) / 8
				p += math.Exp(norm(x[0], 2*math.Cos(a), 0.5)+norm(x[1], 2*math.Sin(a), 0.5)) / 8
			}
			return math.Log(p)
		},
	}
	for name, f := range want {
		tg, err := targets.ByName(name)
		require.NoError(t, err)
		x := tg.Sample(200, rng)
		for r, v := range tg.LogDensities(x) {
			require.InDelta(t, f(x.RawRowView(r)), v-tg.LogZ, 1e-9, "%s row %d", name, r)
		}
		if tg.Dim == 2 {
			require.InDelta(t, tg.LogZ, targets.GridLogZ(tg, 20, 2000), 1e-5, name) // the banana reaches x2 ≈ 15
		}
	}
}

// The energies' grid normalizers have converged: a finer and wider grid changes them by < 1e-3.
func TestEnergiesGrid(t *testing.T) {
	for _, name := range []string{"u1", "u2", "u3", "u4"} {
		tg, err := targets.ByName(name)
		require.NoError(t, err)
		require.True(t, math.IsNaN(tg.LogZ))
		coarse, fine := targets.GridLogZ(tg, 6, 600), targets.GridLogZ(tg, 7, 1400)
		require.InDelta(t, fine, coarse, 1e-3, name)
	}
}

// exact is a "flow" that is the banana itself: its draws are exact and its density p̃/Z.
type exact struct{ t targets.Target }

func (e exact) SampleWithLogProb(n int, rng *rand.Rand) (*mat.Dense, []float64) {
	x := e.t.Sample(n, rng)
	return x, e.LogProbs(x)
}

func (e exact) LogProbs(x *mat.Dense) []float64 {
	lp := e.t.LogDensities(x)
	for i := range lp {
		lp[i] -= e.t.LogZ
	}
	return lp
}

// Scored against itself, a target has ELBO = log Z, ESS 1 and KL 0.
func TestScoreExact(t *testing.T) {
	banana, err := targets.ByName("banana")
	require.NoError(t, err)
	s := targets.Score(banana, exact{banana}, 1000, rand.New(rand.NewSource(1)), rand.New(rand.NewSource(2)))
	require.InDelta(t, banana.LogZ, s.ELBO, 1e-12)
	require.InDelta(t, banana.LogZ, s.LogZ, 1e-12)
	require.InDelta(t, 1, s.ESS, 1e-12)
	require.InDelta(t, 0, s.KL, 1e-12)
	u1, _ := targets.ByName("u1")
	require.True(t, math.IsNaN(targets.Score(u1, exact{banana}, 10, rand.New(rand.NewSource(1)), nil).KL))
}
