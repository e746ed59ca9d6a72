package main

import (
	"math/rand"
	"slices"
	"strings"
	"testing"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/distributions/toy"
	"github.com/affineflow/flow/recipe"
	"github.com/affineflow/flow/trainer"
	"github.com/stretchr/testify/require"
)

// A selection's run writes every candidate's scores and costs; a sub-selection NAME@A/B is the
// candidate of A, B with the lower validation NLL, seed by seed.
func TestCandidates(t *testing.T) {
	dir := t.TempDir()
	c := config{scores: dir}
	rng := rand.New(rand.NewSource(2))
	s := splits{train: toy.TwoMoons(300, rng), val: toy.TwoMoons(100, rng), test: toy.TwoMoons(50, rng)}
	want := map[int64]string{}
	for _, seed := range []int64{1, 2} {
		res, err := recipe.Fit(s.train, s.val, recipe.Options{Select: "always",
			Spec: distributions.Spec{Hidden: []int{8}}, Train: trainer.Settings{Epochs: 2, Seed: seed}})
		require.NoError(t, err)
		c.seed = seed
		require.NoError(t, c.saveCandidates("moons", "sel", s, fitted{res: res, lp: res.Flow.LogProbs(s.test)})) // as run fills it
		i := slices.IndexFunc(res.Outcomes, func(o trainer.Outcome) bool { return o.Name == "maf5" })
		j := slices.IndexFunc(res.Outcomes, func(o trainer.Outcome) bool { return o.Name == "nsf5" })
		want[seed] = "maf5"
		if res.Outcomes[j].Result.BestValNLL < res.Outcomes[i].Result.BestValNLL {
			want[seed], i = "nsf5", j
		}
		require.NoError(t, saveScores(dir, "moons", "defaults", seed, res.Flows[i].LogProbs(s.test)))
	}
	scores, err := readScores(dir, "defaults", []string{"sel@maf5/nsf5", "sel@maf10"})
	require.NoError(t, err)
	for seed, name := range want {
		require.Equal(t, scores["moons"]["defaults"][seed], scores["moons"]["sel@maf5/nsf5"][seed], "seed %d: %s", seed, name)
		require.Len(t, scores["moons"]["sel@maf10"][seed], 50)
	}

	var out strings.Builder
	require.NoError(t, costTable(dir, "sel", &out))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 2+3) // maf5, maf10, nsf5 (block needs three columns)
	require.Contains(t, lines[2], "| moons | maf5 | 2 |")
	require.Contains(t, lines[2], "| 2/2 |")
}
