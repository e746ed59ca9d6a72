package distributions_test

import (
	"math"
	"math/rand"
	"testing"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/layers/layertest"
	"github.com/affineflow/flow/trainer"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// The conditional flow's paths agree: graph (through ConditionalFlow and the trainer's evaluator)
// = numeric, sampling reports log p(x | ctx), and the context changes the density.
func TestConditionalFlowPaths(t *testing.T) {
	for _, s := range []distributions.Spec{
		{Hidden: []int{12, 12}, Context: 2},
		{Mask: "block:1,2", Hidden: []int{12}, Context: 2, Between: "actnorm+linear", Order: "random"},
		{Mask: "random", Hidden: []int{8, 8, 8}, Residual: true, Context: 2, DiagonalBase: true},
	} {
		t.Run(s.Mask, func(t *testing.T) {
			rng := rand.New(rand.NewSource(3))
			f, err := distributions.Build(3, s, rng)
			require.NoError(t, err)
			require.Equal(t, 2, f.ContextDim())
			for _, l := range f.Layers {
				layertest.Perturb(l, rng, 0.2)
			}
			cf, err := distributions.Conditional(f)
			require.NoError(t, err)
			x, ctx := randn(rng, 9, 3), randn(rng, 9, 2)
			want := f.LogProbsContext(x, ctx)
			ev := trainer.NewEvaluator(cf, 4)
			defer ev.Close()
			got, err := ev.LogProbs(distributions.Concat(x, ctx))
			require.NoError(t, err)
			require.InDeltaSlice(t, want, got, 1e-10)
			require.Equal(t, want, cf.LogProbs(distributions.Concat(x, ctx)))
			require.NotEqual(t, want, f.LogProbs(x)) // a zero context differs

			xs, lps := f.SampleWithLogProbContext(ctx, rng)
			require.InDeltaSlice(t, f.LogProbsContext(xs, ctx), lps, 1e-9)
		})
	}
}

// Fitting p(x | c) where x = 2c + noise learns the dependence: the conditional NLL on held-out
// data ends well below the unconditional Gaussian NLL of x.
func TestConditionalFlowLearns(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	gen := func(n int) *mat.Dense {
		xc := mat.NewDense(n, 2, nil)
		for r := 0; r < n; r++ {
			c := rng.NormFloat64()
			xc.Set(r, 0, 2*c+0.3*rng.NormFloat64())
			xc.Set(r, 1, c)
		}
		return xc
	}
	train, val := gen(1024), gen(256)
	f, err := distributions.Build(1, distributions.Spec{Layers: 2, Hidden: []int{16, 16}, Context: 1}, rng)
	require.NoError(t, err)
	cf, err := distributions.Conditional(f)
	require.NoError(t, err)
	_, err = trainer.Fit(cf, train, val, trainer.Settings{Epochs: 30, LearningRate: 1e-2, BatchSize: 128, Seed: 1})
	require.NoError(t, err)
	nll := 0.0
	for _, lp := range cf.LogProbs(val) {
		nll -= lp
	}
	nll /= 256
	// N(0, 4.09) has NLL ≈ 1.62; the true conditional N(2c, 0.09) has ≈ -0.28
	require.Less(t, nll, 0.8, "conditional NLL %.3f", nll)
	require.False(t, math.IsNaN(nll))
}

func TestConditionalRefusals(t *testing.T) {
	f, err := distributions.Build(2, distributions.Spec{Hidden: []int{4}}, rand.New(rand.NewSource(1)))
	require.NoError(t, err)
	_, err = distributions.Conditional(f)
	require.ErrorContains(t, err, "no context inputs")
}
