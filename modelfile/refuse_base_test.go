package modelfile_test

import (
	"math/rand"
	"testing"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/masks"
	"github.com/affineflow/flow/modelfile"
	"github.com/stretchr/testify/require"
)

// A made_mixture base (D = 3, K = 2, hidden 4: net[0] 3×4, net[1] 4×18) that was edited by hand is
// refused with the location of the edit.
func TestRefuseMADEMixture(t *testing.T) {
	b, err := distributions.NewMADEMixture(masks.Natural(3), 2, layers.AffineSettings{Hidden: []int{4}}, rand.New(rand.NewSource(1)))
	require.NoError(t, err)
	f := &distributions.Flow{Base: b}
	base := func(m map[string]any) map[string]any { return m["base"].(map[string]any) }
	for _, c := range []refusal{
		{"components 0", func(m map[string]any) { base(m)["components"] = 0 },
			"model.json: base (made_mixture): components is 0, want 1 to 1024"},
		{"components disagree", func(m map[string]any) { base(m)["components"] = 3 },
			"model.json: base (made_mixture): net[1].weight is 4×18, want 4×27"},
		{"order", func(m map[string]any) { base(m)["order"] = []any{1, 3, 3} },
			"model.json: base (made_mixture): order [1 3 3] is not a permutation"},
		{"activation", func(m map[string]any) { delKey(base(m), "activation") },
			"model.json: base (made_mixture): activation is missing"},
		{"mask", func(m map[string]any) {
			mask := base(m)["net"].([]any)[0].(map[string]any)["mask"]
			for j := range 4 {
				rowAt(mask, 2)[j] = 1 // the last input reaches every hidden unit
			}
		}, "model.json: base (made_mixture): net masks are not autoregressive in order: masks: output 1 (degree 2) sees input 2 (degree 3)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := modelfile.Unmarshal(edited(t, f, c.edit), "model.json")
			require.ErrorContains(t, err, c.want)
		})
	}
}
