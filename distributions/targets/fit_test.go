package targets_test

import (
	"context"
	"math"
	"math/rand"
	"testing"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/distributions/targets"
	"github.com/affineflow/flow/trainer"
	"github.com/stretchr/testify/require"
)

// Reverse-KL fits of an IAF are checked against the truth, not against themselves: on the banana
// and the ring KL(p ‖ q), estimated on exact target samples, is below 0.05 nats; on U1–U4 the
// importance-sampling estimate of log Z is within 0.05 of the grid's. Reverse KL is mode-seeking
// and a run can settle on part of a target (U4 does with OpenBLAS's rounding and seed 1), so each
// target gets two restarts and keeps the one with the higher held-out ELBO, as a user would: the
// choice uses nothing of the truth.
func TestVariationalFits(t *testing.T) {
	if testing.Short() {
		t.Skip("twelve fits, a minute")
	}
	small := distributions.Spec{Layers: 5, Hidden: []int{32, 32}, Inverse: true}
	large := distributions.Spec{Layers: 8, Hidden: []int{64, 64}, Inverse: true}
	for _, tc := range []struct {
		name   string
		spec   distributions.Spec
		epochs int
	}{{"banana", small, 40}, {"ring", small, 40}, {"u1", small, 40}, {"u2", large, 80}, {"u3", small, 40}, {"u4", large, 80}} {
		t.Run(tc.name, func(t *testing.T) {
			tg, err := targets.ByName(tc.name)
			require.NoError(t, err)
			var f *distributions.Flow
			best := math.Inf(1)
			for seed := int64(1); seed <= 2; seed++ {
				q, err := distributions.Build(tg.Dim, tc.spec, rand.New(rand.NewSource(seed)))
				require.NoError(t, err)
				res, err := trainer.FitVariational(context.Background(), q, tg.LogDensity, trainer.Settings{
					Epochs: tc.epochs, Draws: 8192, Patience: -1, Seed: seed, LearningRate: 3e-3, Schedule: "cosine"})
				require.NoError(t, err)
				require.Len(t, res.History, tc.epochs)
				require.Greater(t, res.History[0].ESS, 0.0)
				if res.BestValNLL < best { // −ELBO on held-out draws
					f, best = q, res.BestValNLL
				}
			}

			sc := targets.Score(tg, f, 20000, rand.New(rand.NewSource(3)), rand.New(rand.NewSource(4)))
			if tg.Sample != nil {
				t.Logf("%s: KL(p‖q) = %.4f, ELBO %.4f, log Z %.4f", tc.name, sc.KL, sc.ELBO, tg.LogZ)
				require.Less(t, sc.KL, 0.05)
				require.Less(t, sc.ELBO, tg.LogZ) // the bound holds
				return
			}
			grid := targets.GridLogZ(tg, 7, 1400)
			t.Logf("%s: log Z %.4f (grid %.4f), ELBO %.4f, ESS %.3f", tc.name, sc.LogZ, grid, sc.ELBO, sc.ESS)
			require.InDelta(t, grid, sc.LogZ, 0.05)
			require.Less(t, sc.ELBO, grid)
		})
	}
}
