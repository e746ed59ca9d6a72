package recipe_test

import (
	"math"
	"math/rand"
	"testing"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/distributions/toy"
	"github.com/affineflow/flow/recipe"
	"github.com/affineflow/flow/trainer"
	"github.com/stretchr/testify/require"
)

// Every candidate of a selection comes back with its best weights: its validation NLL is the one
// its fit reported, and the kept one is Flow.
func TestFitKeepsEveryCandidate(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	train, val := toy.TwoMoons(300, rng), toy.TwoMoons(100, rng)
	res, err := recipe.Fit(train, val, recipe.Options{Select: "always",
		Spec: distributions.Spec{Hidden: []int{8}}, Train: trainer.Settings{Epochs: 3, Seed: 1}})
	require.NoError(t, err)
	require.Len(t, res.Flows, len(res.Plan.Candidates))
	require.Same(t, res.Flow, res.Flows[res.Kept])
	for i, f := range res.Flows {
		want := res.Outcomes[i].Result.BestValNLL
		require.InDelta(t, want, f.NLL(val), 1e-9*(1+math.Abs(want)), res.Plan.Candidates[i].Name)
	}
}
