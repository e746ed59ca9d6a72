package trainer_test

import (
	"context"
	"math"
	"math/rand"
	"testing"

	"github.com/affineflow/flow/trainer"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// FitDraws fits by maximum likelihood to fresh draws every epoch: the sampler is called once per
// epoch and once for the held-out rows, each time with another stream, and the fit of a correlated
// Gaussian ends near its entropy, ½ log det(2πe Σ).
func TestFitDraws(t *testing.T) {
	const rho = 0.8
	var firsts []float64
	sample := func(n int, rng *rand.Rand) *mat.Dense {
		x := mat.NewDense(n, 2, nil)
		for r := 0; r < n; r++ {
			a, b := rng.NormFloat64(), rng.NormFloat64()
			x.Set(r, 0, a)
			x.Set(r, 1, rho*a+math.Sqrt(1-rho*rho)*b)
		}
		firsts = append(firsts, x.At(0, 0))
		return x
	}
	s := trainer.Settings{Epochs: 12, BatchSize: 128, Draws: 2560, ValDraws: 4000, Seed: 2, Patience: -1, LearningRate: 3e-3}
	res, err := trainer.FitDraws(context.Background(), smallFlow(t, 4), sample, s)
	require.NoError(t, err)
	require.Len(t, firsts, s.Epochs+1)
	for i := range firsts {
		for j := range i {
			require.NotEqual(t, firsts[i], firsts[j], "draws %d and %d", i, j)
		}
	}
	entropy := math.Log(2*math.Pi*math.E) + 0.5*math.Log(1-rho*rho)
	last := res.History[len(res.History)-1]
	require.InDelta(t, entropy, res.BestValNLL, 0.05)
	require.Zero(t, last.ESS) // not importance weights
	_, err = trainer.FitDraws(context.Background(), smallFlow(t, 4), nil, s)
	require.ErrorContains(t, err, "needs a sampler")
}
