package recipe_test

import (
	"testing"

	"github.com/affineflow/flow/recipe"
	"github.com/stretchr/testify/require"
)

// ParseBase reads every spelling of -base, String spells it back, and the plan's spec carries it.
func TestParseBase(t *testing.T) {
	for text, want := range map[string]recipe.Base{
		"auto":            {Auto: true},
		"normal":          {},
		"student-t:4.5":   {Nu: 4.5},
		"student-t:learn": {Nu: 10, LearnNu: true},
		"mog:3":           {Mixture: 3},
		"made-mog:10":     {Mixture: 10, MADE: true},
	} {
		got, err := recipe.ParseBase(text)
		require.NoError(t, err, text)
		require.Equal(t, want, got, text)
		require.Equal(t, text, got.String())
		if got.Auto {
			continue
		}
		p, err := recipe.Options{Base: text, Select: "none"}.Plan(4, 500)
		require.NoError(t, err, text)
		s := p.Candidates[0].Spec
		require.Equal(t, [4]any{want.Nu, want.LearnNu, want.Mixture, want.MADE}, [4]any{s.StudentT, s.LearnNu, s.Mixture, s.MixtureMADE}, text)
	}
	for _, bad := range []string{"mog:0", "made-mog:", "made-mog:x", "made-mog:5000", "student-t:0", "student-t:", "gauss", "made"} {
		_, err := recipe.ParseBase(bad)
		require.ErrorContains(t, err, `base "`+bad+`"`)
	}
}
