package trainer_test

import (
	"context"
	"errors"
	"math/rand"
	"path/filepath"
	"testing"

	"github.com/affineflow/flow/distributions/toy"
	"github.com/affineflow/flow/trainer"
	"github.com/stretchr/testify/require"
)

// stepsCtx is a context that is cancelled (with cause) after its Err was asked `left` times: Fit
// asks once before every step, so it interrupts a fit at an exact step.
type stepsCtx struct {
	context.Context
	left int
}

var errStop = errors.New("stop here")

func (c *stepsCtx) Err() error {
	if c.left <= 0 {
		return errStop
	}
	c.left--
	return nil
}

// TestFitInterruptResume: a fit interrupted in the middle of an epoch holds the weights of its best
// epoch, reports why it stopped, and writes a checkpoint of that very step; resuming from it gives
// the weights of the uninterrupted run, bit for bit.
func TestFitInterruptResume(t *testing.T) {
	rng := rand.New(rand.NewSource(4))
	train, val := toy.Spirals(500, rng), toy.Spirals(100, rng)
	ck := filepath.Join(t.TempDir(), "ck.gob")
	s := trainer.Settings{Epochs: 4, BatchSize: 50, Seed: 2, Patience: -1, Schedule: "cosine"}
	full := smallFlow(t, 5)
	want, err := trainer.Fit(full, train, val, s)
	require.NoError(t, err)

	// 10 steps an epoch: stop before step 4 of epoch 3
	part := smallFlow(t, 5)
	sc := s
	sc.Checkpoint = ck
	res, err := trainer.FitContext(&stepsCtx{Context: context.Background(), left: 23}, part, train, val, sc)
	require.ErrorIs(t, err, trainer.ErrInterrupted)
	require.ErrorIs(t, err, errStop)
	require.ErrorContains(t, err, "epoch 3 step 4")
	require.Equal(t, "interrupted", res.Stopped)
	require.Len(t, res.History, 2)
	require.Equal(t, 2, res.BestEpoch)
	require.Equal(t, 23, res.Steps)
	require.Equal(t, zeroSeconds(want.History[:2]), zeroSeconds(res.History))

	sc.Resume = true
	got, err := trainer.Fit(smallFlow(t, 77), train, val, sc)
	require.NoError(t, err)
	require.Equal(t, zeroSeconds(want.History), zeroSeconds(got.History))
	require.Equal(t, want.Steps, got.Steps)
	resumed := smallFlow(t, 77)
	_, err = trainer.Fit(resumed, train, val, sc) // the finished checkpoint: nothing left to do
	require.NoError(t, err)
	require.Equal(t, values(full.Params()), values(resumed.Params()))
}

// zeroSeconds returns a copy of h without the timings, which differ from run to run.
func zeroSeconds(h []trainer.EpochStats) []trainer.EpochStats {
	out := append([]trainer.EpochStats(nil), h...)
	for i := range out {
		out[i].Seconds = 0
	}
	return out
}

// TestSelectInterrupted: an interrupted selection skips the remaining candidates and returns the
// best of those fitted so far, the interrupted one included with its best epoch.
func TestSelectInterrupted(t *testing.T) {
	rng := rand.New(rand.NewSource(4))
	train, val := toy.Spirals(500, rng), toy.Spirals(100, rng)
	cands := []trainer.Candidate{{Name: "a", Model: smallFlow(t, 1)}, {Name: "b", Model: smallFlow(t, 2)}, {Name: "c", Model: smallFlow(t, 3)}}
	s := trainer.Settings{Epochs: 3, BatchSize: 50, Seed: 2, Patience: -1}
	best, outs, err := trainer.SelectContext(&stepsCtx{Context: context.Background(), left: 45}, cands, train, val, s)
	require.ErrorIs(t, err, trainer.ErrInterrupted)
	require.ErrorContains(t, err, "candidate b")
	require.Len(t, outs, 2)
	require.NoError(t, outs[0].Err)
	require.Equal(t, 1, outs[1].Result.BestEpoch)
	want := 0
	if outs[1].Result.BestValNLL < outs[0].Result.BestValNLL {
		want = 1
	}
	require.Equal(t, want, best)

	// interrupted before anything was learned: no model
	best, _, err = trainer.SelectContext(&stepsCtx{Context: context.Background(), left: 3}, cands[:1], train, val, s)
	require.ErrorIs(t, err, trainer.ErrInterrupted)
	require.Equal(t, -1, best)
}

// TestResumeWithoutCheckpoint: a first run started with Resume, before any checkpoint exists, is
// a fresh run: ActNorm is initialized from the data as without Resume (it used to be skipped).
func TestResumeWithoutCheckpoint(t *testing.T) {
	rng := rand.New(rand.NewSource(4))
	train, val := toy.Spirals(500, rng), toy.Spirals(100, rng)
	s := trainer.Settings{Epochs: 2, BatchSize: 50, Seed: 2}
	plain := smallFlow(t, 5)
	_, err := trainer.Fit(plain, train, val, s)
	require.NoError(t, err)
	resumed := smallFlow(t, 5)
	s.Checkpoint, s.Resume = filepath.Join(t.TempDir(), "ck.gob"), true
	_, err = trainer.Fit(resumed, train, val, s)
	require.NoError(t, err)
	require.Equal(t, values(plain.Params()), values(resumed.Params()))
}
