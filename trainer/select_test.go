package trainer_test

import (
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"testing"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/distributions/toy"
	"github.com/affineflow/flow/graph"
	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/trainer"
	"github.com/stretchr/testify/require"
	G "gorgonia.org/gorgonia"
)

// diagonal is a flow that can only scale and shift each dimension: it cannot fit the moons'
// dependence, so a MAF must beat it on validation.
func diagonal() *distributions.Flow {
	return &distributions.Flow{Base: distributions.StandardNormal{D: 2}, Layers: []layers.Layer{layers.NewActNorm(2)}}
}

// broken is a model whose log-density is -Inf everywhere: its training fails at the first step.
type broken struct{ *distributions.Flow }

func (b broken) LogProb(g *graph.Graph, x *G.Node) *G.Node {
	return G.Must(G.Mul(b.Flow.LogProb(g, x), G.NewConstant(math.Inf(1))))
}

// TestSelect: the MAF is chosen over the diagonal flow although it comes second; each candidate
// ends with its best weights; a failing candidate is left out; every candidate gets its own
// checkpoint.
func TestSelect(t *testing.T) {
	rng := rand.New(rand.NewSource(6))
	train, val := toy.TwoMoons(1024, rng), toy.TwoMoons(256, rng)
	ck := filepath.Join(t.TempDir(), "ck")
	s := trainer.Settings{Epochs: 8, BatchSize: 128, LearningRate: 3e-3, Seed: 3, Checkpoint: ck}
	diag, maf := diagonal(), smallFlow(t, 1)
	cands := []trainer.Candidate{{Name: "diag", Model: diag}, {Name: "broken", Model: broken{smallFlow(t, 2)}}, {Name: "maf", Model: maf}}
	best, out, err := trainer.Select(cands, train, val, s)
	require.NoError(t, err)
	require.Equal(t, 2, best)
	require.Len(t, out, 3)
	require.Error(t, out[1].Err)
	require.NoError(t, out[0].Err)
	require.Less(t, out[2].Result.BestValNLL, out[0].Result.BestValNLL-0.1)
	for i, f := range []*distributions.Flow{diag, nil, maf} {
		if f != nil {
			require.InDelta(t, out[i].Result.BestValNLL, -mean(f.LogProbs(val)), 1e-9, "candidate %d holds its best weights", i)
		}
	}
	for _, name := range []string{"diag", "maf"} {
		require.FileExists(t, ck+"."+name)
	}
	require.NoFileExists(t, ck)

	// the same selection from the checkpoints: every candidate resumes at its end, nothing trains
	s.Resume = true
	again := []trainer.Candidate{{Name: "diag", Model: diagonal()}, {Name: "broken", Model: broken{smallFlow(t, 2)}}, {Name: "maf", Model: smallFlow(t, 9)}}
	best2, out2, err := trainer.Select(again, train, val, s)
	require.NoError(t, err)
	require.Equal(t, best, best2)
	require.Equal(t, out[2].Result.BestValNLL, out2[2].Result.BestValNLL)
	require.Equal(t, values(maf.Params()), values(again[2].Model.Params()))
}

func TestSelectErrors(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	train, val := toy.TwoMoons(256, rng), toy.TwoMoons(64, rng)
	s := trainer.Settings{Epochs: 2, BatchSize: 64, Seed: 1}
	two := []trainer.Candidate{{Name: "a", Model: diagonal()}, {Name: "b", Model: diagonal()}}

	_, _, err := trainer.Select(nil, train, val, s)
	require.Error(t, err)
	_, _, err = trainer.Select(two, train, nil, s)
	require.ErrorContains(t, err, "validation")
	_, _, err = trainer.Select(two, train, val, trainer.Settings{LearningRate: -1})
	require.ErrorContains(t, err, "candidate a")

	_, out, err := trainer.Select([]trainer.Candidate{{Name: "x", Model: broken{smallFlow(t, 1)}}, {Name: "y", Model: broken{smallFlow(t, 2)}}}, train, val, s)
	require.ErrorContains(t, err, "candidate x")
	require.ErrorContains(t, err, "candidate y")
	require.Len(t, out, 2)

	// one candidate without validation data is Fit, with the checkpoint file as given
	ck := filepath.Join(t.TempDir(), "one")
	s.Checkpoint = ck
	best, out, err := trainer.Select(two[:1], train, nil, s)
	require.NoError(t, err)
	require.Equal(t, 0, best)
	require.Len(t, out[0].Result.History, 2)
	_, statErr := os.Stat(ck)
	require.NoError(t, statErr)
}
