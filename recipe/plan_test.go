package recipe_test

import (
	"math"
	"math/rand"
	"strings"
	"testing"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/distributions/toy"
	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/recipe"
	"github.com/affineflow/flow/trainer"
	"github.com/stretchr/testify/require"
)

func names(p recipe.Plan) []string {
	var out []string
	for _, c := range p.Candidates {
		out = append(out, c.Name)
	}
	return out
}

// The zero Options are flow fit's defaults: selection, a Student-t base and DefaultHidden below
// SelectRows rows; one model from there on: the spline MAF-5 with MADE MoG up to AutoMixtureDim
// columns, MAF-5 with N(0, I) beyond; the automatic budget.
func TestPlanDefaults(t *testing.T) {
	small, err := recipe.Options{}.Plan(6, 812)
	require.NoError(t, err)
	require.Equal(t, []string{"maf5", "maf10", "block", "nsf5"}, names(small))
	require.Equal(t, float64(distributions.DefaultNu), small.Base.Nu)
	require.Contains(t, small.Why, "812 rows < 10,000")
	require.Equal(t, distributions.DefaultHidden(6), small.Candidates[0].Spec.Hidden)
	require.Equal(t, float64(distributions.DefaultNu), small.Candidates[2].Spec.StudentT)

	large, err := recipe.Options{}.Plan(63, 30199)
	require.NoError(t, err)
	require.Equal(t, []string{"maf5"}, names(large))
	require.Equal(t, recipe.Base{}, large.Base)
	require.Equal(t, "auto: 30,199 rows ≥ 10,000, 63 columns > 16", large.BaseWhy)
	require.Equal(t, "30,199 rows ≥ 10,000: no selection", large.Why)
	require.Equal(t, []int{512, 512}, large.Candidates[0].Spec.Hidden)
	require.Equal(t, 342, large.Epochs) // 40,000 steps, 117 an epoch
	require.Equal(t, 30, large.Patience)

	narrow, err := recipe.Options{}.Plan(6, 30199)
	require.NoError(t, err)
	require.Equal(t, recipe.Base{Mixture: distributions.DefaultMixture, MADE: true}, narrow.Base)
	require.Equal(t, "auto: 30,199 rows ≥ 10,000, 6 columns ≤ 16", narrow.BaseWhy)
	require.Equal(t, []string{"nsf5"}, names(narrow))
	require.True(t, narrow.Candidates[0].Spec.MixtureMADE)
	require.True(t, narrow.Candidates[0].Spec.Transform.IsSpline())
}

// A given model, Select and Base override the rules; More adds candidates with the plan's base.
func TestPlanOverrides(t *testing.T) {
	p, err := recipe.Options{Spec: distributions.Spec{Mask: "injection"}}.Plan(3, 100)
	require.NoError(t, err)
	require.Equal(t, []string{"model"}, names(p))
	require.Equal(t, recipe.DefaultLayers, p.Candidates[0].Spec.Layers)

	p, err = recipe.Options{Select: "none", Base: "normal"}.Plan(3, 100)
	require.NoError(t, err)
	require.Equal(t, "made", p.Candidates[0].Spec.Mask)
	require.Equal(t, recipe.Base{}, p.Base)

	p, err = recipe.Options{Select: "always", Base: "student-t:4",
		More: []distributions.Candidate{{Name: "soft", Spec: distributions.Spec{Layers: 5, Mask: "soft"}}}}.Plan(3, 50000)
	require.NoError(t, err)
	require.Equal(t, []string{"maf5", "maf10", "block", "nsf5", "soft"}, names(p))
	require.Equal(t, 4.0, p.Candidates[3].Spec.StudentT)

	for _, bad := range []recipe.Options{{Base: "laplace"}, {Select: "sometimes"},
		{Select: "always", Spec: distributions.Spec{Layers: 3}}, {Spec: distributions.Spec{StudentT: 5}}} {
		_, err := bad.Plan(3, 100)
		require.Error(t, err, "%+v", bad)
	}
}

// Plan.Write names the models and why, the base and why, and the budget.
func TestPlanWrite(t *testing.T) {
	p, err := recipe.Options{}.Plan(2, 900)
	require.NoError(t, err)
	var b strings.Builder
	p.Write(&b, []int{100, 2000, 1500})
	require.Equal(t, `data: 900 rows of 2 columns
model: maf5 (100 parameters), maf10 (2,000 parameters), nsf5 (1,500 parameters); 900 rows < 10,000: the best on the validation rows is kept
base: student-t:10 (auto: 900 rows < 10,000)
training: at most 2000 epochs (3 optimizer steps each, batch 256), early-stopping patience 30 epochs; * marks a new best validation NLL
`, b.String())
}

// Bounds put layers.Bounded first, then the standardization; values outside are refused.
func TestFitBounds(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	train, val := toy.TwoMoons(300, rng), toy.TwoMoons(100, rng)
	o := recipe.Options{Spec: distributions.Spec{Layers: 1, Hidden: []int{8}}, Train: trainer.Settings{Epochs: 1},
		Bounds: [][2]float64{{-10, 10}, {math.Inf(-1), math.Inf(1)}}}
	res, err := recipe.Fit(train, val, o)
	require.NoError(t, err)
	_, ok := res.Flow.Layers[0].(*layers.Bounded)
	require.True(t, ok)
	_, ok = res.Flow.Layers[1].(*layers.ElementwiseAffine)
	require.True(t, ok)
	x := res.Flow.Sample(500, rng)
	for r := range 500 {
		require.True(t, x.At(r, 0) >= -10 && x.At(r, 0) <= 10)
	}

	o.Bounds = [][2]float64{{-1, 1}, {math.Inf(-1), math.Inf(1)}}
	_, err = recipe.Fit(train, val, o)
	require.ErrorContains(t, err, "is not inside its bounds (-1, 1)")
	o.Bounds = o.Bounds[:1]
	_, err = recipe.Fit(train, val, o)
	require.ErrorContains(t, err, "bounds for 1 columns, the data have 2")
}
