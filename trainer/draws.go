package trainer

import (
	"context"
	"errors"
	"math/rand"

	"gonum.org/v1/gonum/mat"
)

// FitDraws fits m by maximum likelihood to rows of sample drawn afresh every epoch (s.Draws of
// them, default 64 batches; the draws are a function of s.Seed and the epoch), with early stopping
// on s.ValDraws rows drawn once (default 4096): distillation by forward KL, KL(sampler ‖ m), with
// as many samples as epochs take and no overfitting to one sample set. Otherwise as FitContext.
func FitDraws(ctx context.Context, m Model, sample func(n int, rng *rand.Rand) *mat.Dense, s Settings) (*Result, error) {
	s, err := s.withDefaults()
	if err != nil {
		return nil, err
	}
	if sample == nil {
		return nil, errors.New("trainer: FitDraws needs a sampler")
	}
	return fitDraws(ctx, m, sample, s)
}

// fitDraws runs FitContext on rows of sample, refilled before every epoch after the first.
func fitDraws(ctx context.Context, m Model, sample func(n int, rng *rand.Rand) *mat.Dense, s Settings) (*Result, error) {
	draws := func(seed int64, n int) *mat.Dense { return sample(n, rand.New(rand.NewSource(seed))) }
	train := draws(s.Seed*1_000_003+1, s.Draws) // epoch 1's
	s.draw = func(epoch int, train *mat.Dense) {
		if epoch > 1 {
			train.Copy(draws(s.Seed*1_000_003+int64(epoch), s.Draws))
		}
	}
	val := draws(s.Seed*1_000_003-1, s.ValDraws)
	return FitContext(ctx, m, train, val, s)
}
