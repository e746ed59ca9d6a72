package trainer_test

import (
	"math"
	"math/rand"
	"sync"
	"testing"
	"time"

	"github.com/affineflow/flow/distributions/toy"
	"github.com/affineflow/flow/trainer"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// fitRanks runs one fit per rank of LocalComms(n) in goroutines, each on its own copy of the
// model, and returns their results and errors (failing the test if they hang).
func fitRanks(t *testing.T, n int, train, val *mat.Dense, s trainer.Settings) ([]*trainer.Result, []error, [][][]float64) {
	comms := trainer.LocalComms(n)
	res, errs, params := make([]*trainer.Result, n), make([]error, n), make([][][]float64, n)
	var wg sync.WaitGroup
	for r := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f := smallFlow(t, 5)
			sr := s
			sr.Comm = comms[r]
			res[r], errs[r] = trainer.Fit(f, train, val, sr)
			params[r] = values(f.Params())
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(2 * time.Minute):
		t.Fatal("the ranks hang")
	}
	return res, errs, params
}

// A data-parallel fit over N ranks, each computing the gradient of 1/N of every batch, ends with
// the weights of the one-process fit (to 1e-9, the order of the sums aside) on every rank; so do
// two ranks of two shards each.
func TestDataParallelExact(t *testing.T) {
	rng := rand.New(rand.NewSource(4))
	train, val := toy.Spirals(512, rng), toy.Spirals(128, rng)
	s := trainer.Settings{Epochs: 3, BatchSize: 64, Seed: 2, Patience: -1, Schedule: "cosine"}
	one := smallFlow(t, 5)
	want, err := trainer.Fit(one, train, val, s)
	require.NoError(t, err)
	wantParams := values(one.Params())
	for _, n := range []int{2, 4} {
		res, errs, params := fitRanks(t, n, train, val, s)
		for r := range n {
			require.NoError(t, errs[r], "rank %d of %d", r, n)
			require.Equal(t, want.Steps, res[r].Steps)
			for k := range wantParams {
				require.InDeltaSlice(t, wantParams[k], params[r][k], 1e-9, "rank %d of %d, parameter %d", r, n, k)
			}
			require.InDelta(t, want.BestValNLL, res[r].BestValNLL, 1e-9)
		}
	}
	// ranks of two shards each (the shards' mean, then the ranks' sum)
	sh := s
	sh.Shards = 2
	res, errs, params := fitRanks(t, 2, train, val, sh)
	for r := range 2 {
		require.NoError(t, errs[r], "rank %d of 2, two shards", r)
		for k := range wantParams {
			require.InDeltaSlice(t, wantParams[k], params[r][k], 1e-9, "rank %d, two shards, parameter %d", r, k)
		}
		require.InDelta(t, want.BestValNLL, res[r].BestValNLL, 1e-9)
	}
	_, errs, _ = fitRanks(t, 3, train, val, s)
	require.ErrorContains(t, errs[0], "batch of 64 rows over 3 ranks")
}

// A rank whose share fails (here a non-finite row) fails every rank, with an error, not a hang.
func TestDataParallelFailure(t *testing.T) {
	rng := rand.New(rand.NewSource(4))
	train := toy.Spirals(128, rng)
	train.Set(5, 0, math.NaN())
	_, errs, _ := fitRanks(t, 2, train, nil, trainer.Settings{Epochs: 2, BatchSize: 64, Seed: 2})
	for r, err := range errs {
		require.ErrorContains(t, err, "non-finite loss", "rank %d", r)
	}
}

// Buffers of different lengths fail every rank of the round, not only the last to arrive.
func TestLocalCommsMismatch(t *testing.T) {
	comms := trainer.LocalComms(2)
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for r, n := range []int{3, 4} {
		wg.Add(1)
		go func() { defer wg.Done(); errs[r] = comms[r].Sum(make([]float64, n)) }()
	}
	wg.Wait()
	for _, err := range errs {
		require.ErrorContains(t, err, "different lengths")
	}
	buf := []float64{1, 2}
	wg.Add(1)
	go func() { defer wg.Done(); require.NoError(t, comms[1].Sum([]float64{10, 20})) }()
	require.NoError(t, comms[0].Sum(buf)) // the group goes on after a failed round
	wg.Wait()
	require.Equal(t, []float64{11, 22}, buf)
}
