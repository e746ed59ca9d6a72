package recipe_test

import (
	"strings"
	"testing"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/recipe"
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
// SelectRows rows; MAF-5 alone and N(0, I) from there on; the automatic budget.
func TestPlanDefaults(t *testing.T) {
	small, err := recipe.Options{}.Plan(6, 812)
	require.NoError(t, err)
	require.Equal(t, []string{"maf5", "maf10", "block"}, names(small))
	require.Equal(t, float64(distributions.DefaultNu), small.Base)
	require.Contains(t, small.Why, "812 rows < 10,000")
	require.Equal(t, distributions.DefaultHidden(6), small.Candidates[0].Spec.Hidden)
	require.Equal(t, float64(distributions.DefaultNu), small.Candidates[2].Spec.StudentT)

	large, err := recipe.Options{}.Plan(63, 30199)
	require.NoError(t, err)
	require.Equal(t, []string{"maf5"}, names(large))
	require.Equal(t, 0.0, large.Base)
	require.Equal(t, "30,199 rows ≥ 10,000: no selection", large.Why)
	require.Equal(t, []int{512, 512}, large.Candidates[0].Spec.Hidden)
	require.Equal(t, 342, large.Epochs) // 40,000 steps, 117 an epoch
	require.Equal(t, 30, large.Patience)
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
	require.Equal(t, 0.0, p.Base)

	p, err = recipe.Options{Select: "always", Base: "student-t:4",
		More: []distributions.Candidate{{Name: "soft", Spec: distributions.Spec{Layers: 5, Mask: "soft"}}}}.Plan(3, 50000)
	require.NoError(t, err)
	require.Equal(t, []string{"maf5", "maf10", "block", "soft"}, names(p))
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
	p.Write(&b, []int{100, 2000})
	require.Equal(t, `data: 900 rows of 2 columns
model: maf5 (100 parameters), maf10 (2,000 parameters); 900 rows < 10,000: the best on the validation rows is kept
base: student-t:10 (auto: 900 rows < 10,000)
training: at most 2000 epochs (3 optimizer steps each, batch 256), early-stopping patience 30 epochs; * marks a new best validation NLL
`, b.String())
}
