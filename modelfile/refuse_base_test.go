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

// A layer's "transform" edited by hand is refused with its location; a file without one is the
// affine layer it always was.
func TestRefuseTransform(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	l, err := layers.NewAffineInjection(masks.Natural(3), layers.AffineSettings{Hidden: []int{4}, Elementwise: layers.Spline(4, 2)}, rng)
	require.NoError(t, err)
	f := &distributions.Flow{Base: distributions.StandardNormal{D: 3}, Layers: []layers.Layer{l}}
	tr := func(m map[string]any) map[string]any { return layerAt(m, 0)["transform"].(map[string]any) }
	for _, c := range []refusal{
		{"type", func(m map[string]any) { tr(m)["type"] = "cubic" }, `layers[0] (affine_injection): transform.type is "cubic", want "rq_spline"`},
		{"one bin", func(m map[string]any) { tr(m)["bins"] = 1 }, "layers[0] (affine_injection): transform.bins is 1, want 2 to 256"},
		{"bound", func(m map[string]any) { tr(m)["bound"] = 0 }, "layers[0] (affine_injection): transform.bound is 0, want a value in (0, 1e6]"},
		{"bins disagree", func(m map[string]any) { tr(m)["bins"] = 5 }, "layers[0] (affine_injection): net[1].weight is 4×33, want 4×42"},
		{"dropped", func(m map[string]any) { delKey(layerAt(m, 0), "transform") }, "layers[0] (affine_injection): net[1].weight is 4×33, want 4×6"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := modelfile.Unmarshal(edited(t, f, c.edit), "model.json")
			require.ErrorContains(t, err, c.want)
		})
	}
}
