package trainer_test

import (
	"math"
	"math/rand"
	"path/filepath"
	"testing"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/distributions/toy"
	"github.com/affineflow/flow/graph"
	"github.com/affineflow/flow/trainer"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

func smallFlow(t *testing.T, seed int64) *distributions.Flow {
	f, err := distributions.Build(2, distributions.Spec{Layers: 3, Hidden: []int{16, 16}, Between: "actnorm"}, rand.New(rand.NewSource(seed)))
	require.NoError(t, err)
	return f
}

func values(ps []*graph.Param) [][]float64 {
	var out [][]float64
	for _, p := range ps {
		out = append(out, append([]float64(nil), p.Data()...))
	}
	return out
}

func TestFitDeterministic(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	train, val := toy.Rings(600, rng), toy.Rings(200, rng)
	s := trainer.Settings{Epochs: 4, BatchSize: 64, Seed: 9, Schedule: "cosine"}
	a, b := smallFlow(t, 1), smallFlow(t, 1)
	_, err := trainer.Fit(a, train, val, s)
	require.NoError(t, err)
	_, err = trainer.Fit(b, train, val, s)
	require.NoError(t, err)
	require.Equal(t, values(a.Params()), values(b.Params()))
	c := smallFlow(t, 1)
	s.Seed = 10
	_, err = trainer.Fit(c, train, val, s)
	require.NoError(t, err)
	require.NotEqual(t, values(a.Params()), values(c.Params()), "another shuffling seed must give other weights")
}

// TestResume: 3 epochs, then 3 more from the checkpoint, equals 6 uninterrupted epochs.
func TestResume(t *testing.T) {
	rng := rand.New(rand.NewSource(4))
	train, val := toy.Spirals(500, rng), toy.Spirals(100, rng)
	ck := filepath.Join(t.TempDir(), "ck.gob")
	s := trainer.Settings{Epochs: 6, BatchSize: 50, Seed: 2, Patience: -1, Schedule: "step", StepEvery: 2}
	full := smallFlow(t, 5)
	want, err := trainer.Fit(full, train, val, s)
	require.NoError(t, err)

	part := smallFlow(t, 5)
	s3 := s
	s3.Epochs, s3.Checkpoint = 3, ck
	_, err = trainer.Fit(part, train, val, s3)
	require.NoError(t, err)
	s6 := s
	s6.Checkpoint, s6.Resume = ck, true
	fresh := smallFlow(t, 77) // other initial weights: the checkpoint must overwrite them
	got, err := trainer.Fit(fresh, train, val, s6)
	require.NoError(t, err)
	require.Equal(t, values(full.Params()), values(fresh.Params()))
	require.Equal(t, want.BestEpoch, got.BestEpoch)
	require.Len(t, got.History, 6)
}

func TestNonFiniteStops(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	train := toy.TwoMoons(256, rng)
	f := smallFlow(t, 1)
	before := values(f.Params())
	train.Set(100, 1, math.Inf(1))
	res, err := trainer.Fit(f, train, nil, trainer.Settings{Epochs: 2, BatchSize: 256, Seed: 1})
	require.Error(t, err)
	require.Regexp(t, `trainer: epoch 1 step 1: non-finite`, err.Error())
	require.NotNil(t, res)
	require.Equal(t, 0, res.BestEpoch)
	// actnorm took its statistics from the data (which hold an Inf); the conditioners are untouched
	after := values(f.Params())
	for k, p := range f.Params() {
		if p.Name[:4] == "made" {
			require.Equal(t, before[k], after[k], p.Name)
		}
	}
}

func TestSettingsErrors(t *testing.T) {
	x := mat.NewDense(4, 2, []float64{1, 2, 3, 4, 5, 6, 7, 8})
	for _, s := range []trainer.Settings{
		{LearningRate: -1}, {Schedule: "linear"}, {Epochs: -2}, {WeightDecay: -1},
	} {
		_, err := trainer.Fit(smallFlow(t, 1), x, nil, s)
		require.Error(t, err)
	}
}

func TestAutoPatience(t *testing.T) {
	require.Equal(t, 30, trainer.AutoPatience(36584, 256))     // protein: 142 steps per epoch, 4,260 in 30 epochs
	require.Equal(t, 30, trainer.AutoPatience(44287, 256))     // 172 steps: 29 epochs are 4,988, short of 5,000
	require.Equal(t, 29, trainer.AutoPatience(44288, 256))     // 173 steps: 29 epochs are 5,017
	require.Equal(t, 13, trainer.AutoPatience(100000, 256))    // bsds300: 390 steps per epoch
	require.Equal(t, 1, trainer.AutoPatience(10_000_000, 256)) // one epoch is more than 5,000 steps
	require.Equal(t, 30, trainer.AutoPatience(10, 256))
}

func TestAutoEpochs(t *testing.T) {
	require.Equal(t, 342, trainer.AutoEpochs(30199, 256))  // power_subset: 117 steps per epoch
	require.Equal(t, 2000, trainer.AutoEpochs(2956, 256))  // miniboone subset: 11 steps per epoch, capped
	require.Equal(t, 2000, trainer.AutoEpochs(100, 256))   // smaller than a batch: capped
	require.Equal(t, 103, trainer.AutoEpochs(100000, 256)) // bsds300
}
