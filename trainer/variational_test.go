package trainer_test

import (
	"context"
	"math"
	"path/filepath"
	"testing"

	"github.com/affineflow/flow/distributions/targets"
	"github.com/affineflow/flow/trainer"
	"github.com/stretchr/testify/require"
)

// A variational fit draws fresh rows every epoch, deterministically: interrupted mid-epoch and
// resumed from its checkpoint it ends with the history and weights of the uninterrupted run, and
// every epoch reports an ESS in (0, 1].
func TestFitVariationalResume(t *testing.T) {
	banana, err := targets.ByName("banana")
	require.NoError(t, err)
	ck := filepath.Join(t.TempDir(), "ck.gob")
	s := trainer.Settings{Epochs: 3, BatchSize: 64, Draws: 640, ValDraws: 500, Seed: 3, Patience: -1, LearningRate: 3e-3}
	full := smallFlow(t, 5)
	want, err := trainer.FitVariational(context.Background(), full, banana.LogDensity, s)
	require.NoError(t, err)
	for _, e := range want.History {
		require.True(t, e.ESS > 0 && e.ESS <= 1, "ESS %g", e.ESS)
	}
	require.NotEqual(t, want.History[0].TrainNLL, want.History[1].TrainNLL)

	sc := s
	sc.Checkpoint = ck
	_, err = trainer.FitVariational(&stepsCtx{Context: context.Background(), left: 14}, smallFlow(t, 5), banana.LogDensity, sc)
	require.ErrorIs(t, err, trainer.ErrInterrupted)
	require.ErrorContains(t, err, "epoch 2 step 5")
	sc.Resume = true
	resumed := smallFlow(t, 77)
	got, err := trainer.FitVariational(context.Background(), resumed, banana.LogDensity, sc)
	require.NoError(t, err)
	require.Equal(t, zeroSeconds(want.History), zeroSeconds(got.History))
	require.Equal(t, values(full.Params()), values(resumed.Params()))
}

// ESS is 1 for equal weights and 1/n for one weight that carries everything; LogZ averages the
// weights in log space.
func TestESS(t *testing.T) {
	require.InDelta(t, 1, trainer.ESS([]float64{3, 3, 3, 3}), 1e-12)
	require.InDelta(t, 0.25, trainer.ESS([]float64{0, -1000, -1000, -1000}), 1e-12)
	require.InDelta(t, 0.5, trainer.ESS([]float64{700, 700, -1e9, -1e9}), 1e-12) // no overflow
	require.InDelta(t, math.Log(2.5), trainer.LogZ([]float64{math.Log(1), math.Log(4)}), 1e-12)
	require.True(t, math.IsNaN(trainer.ESS(nil)))
}
