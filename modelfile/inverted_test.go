package modelfile_test

import (
	"math/rand"
	"testing"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/modelfile"
	"github.com/affineflow/flow/trainer"
	"github.com/stretchr/testify/require"
)

// An inverted layer holds one layer that has a graph inverse, itself not inverted.
func TestRefuseInverted(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	made, err := layers.NewAffineInjection([]int{1, 2, 3}, layers.AffineSettings{Hidden: []int{4}}, rng)
	require.NoError(t, err)
	inv, err := layers.Invert(made)
	require.NoError(t, err)
	f := &distributions.Flow{Base: distributions.StandardNormal{D: 3}, Layers: []layers.Layer{inv}}
	eye := []any{[]any{1.0, 0.0, 0.0}, []any{0.0, 1.0, 0.0}, []any{0.0, 0.0, 1.0}}
	lin := map[string]any{"type": "linear", "weight": eye, "bias": []any{0.0, 0.0, 0.0}}
	for _, c := range []refusal{
		{"no layer", func(m map[string]any) { delKey(layerAt(m, 0), "layer") }, `layers[0] (inverted): missing "layer"`},
		{"twice", func(m map[string]any) {
			l := layerAt(m, 0)
			l["layer"] = map[string]any{"type": "inverted", "layer": l["layer"]}
		}, "an inverted layer inside an inverted layer"},
		{"linear", func(m map[string]any) { layerAt(m, 0)["layer"] = lin }, "layer: layers: a *layers.Linear layer has no graph inverse"},
		{"inner error", func(m map[string]any) { delKey(layerAt(m, 0)["layer"].(map[string]any), "order") }, "layers[0] (inverted): layer (affine_injection): order"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := modelfile.Unmarshal(edited(t, f, c.edit), "model.json")
			require.ErrorContains(t, err, c.want)
		})
	}
}

// A flow fitted in the IAF direction by maximum likelihood saves and loads with its density.
func TestInvertedFitRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewSource(4))
	f, err := distributions.Build(2, distributions.Spec{Layers: 2, Hidden: []int{8}, Inverse: true}, rng)
	require.NoError(t, err)
	x := data(200, 2, rng)
	_, err = trainer.Fit(f, x, nil, trainer.Settings{Epochs: 3, BatchSize: 50})
	require.NoError(t, err)
	b, err := modelfile.Marshal(f, nil)
	require.NoError(t, err)
	g, _, err := modelfile.Unmarshal(b, "iaf.json")
	require.NoError(t, err)
	require.InDeltaSlice(t, f.LogProbs(x), g.LogProbs(x), 1e-12)
	require.Contains(t, string(b), `"type":"inverted","layer":{"type":"affine_injection"`)
}
