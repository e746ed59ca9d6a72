package modelfile_test

import (
	"math"
	"testing"

	"github.com/affineflow/flow/modelfile"
	"github.com/stretchr/testify/require"
)

// Values the format accepts in shape but that leave the density undefined are refused: by field
// where the value has a natural domain, and otherwise by the probe of the whole model's density
// (the loaded flow's log p must be finite at x = 0 and two other moderate rows). On refusalFlow:
// 0 affine_injection, 1 injection, 2 permutation, 3 linear, 4 elementwise_affine; a diagonal base.
func TestRefuseValues(t *testing.T) {
	const notFinite = "model.json: the density is not finite at "
	set := func(v []any, i int, x float64) { v[i] = x }
	runRefusals(t, []refusal{
		// fields with a natural domain
		{"student_t nu 1e308", func(m map[string]any) { m["base"] = map[string]any{"type": "student_t", "nu": 1e308} },
			"model.json: base (student_t): nu is 1e+308, want a positive number at most 1e+10 (distributions.MaxNu)"},
		{"student_t nu 1e300", func(m map[string]any) { m["base"] = map[string]any{"type": "student_t", "nu": 1e300} },
			"model.json: base (student_t): nu is 1e+300, want a positive number at most 1e+10"},
		{"log_std 1000", func(m map[string]any) { set(m["base"].(map[string]any)["log_std"].([]any), 1, 1000) },
			"model.json: base (diagonal_normal): log_std[1] is 1000, want a value in [-300, 300] (modelfile.MaxLogScale)"},
		{"log_std -301", func(m map[string]any) { set(m["base"].(map[string]any)["log_std"].([]any), 0, -301) },
			"model.json: base (diagonal_normal): log_std[0] is -301, want a value in [-300, 300]"},
		{"log_scale 1000", func(m map[string]any) { set(layerAt(m, 4)["log_scale"].([]any), 2, 1000) },
			"model.json: layers[4] (elementwise_affine): log_scale[2] is 1000, want a value in [-300, 300] (modelfile.MaxLogScale)"},
		// the probe
		{"linear weight 1e300", func(m map[string]any) { delKey(layerAt(m, 3), "lu"); set(rowAt(layerAt(m, 3)["weight"], 0), 0, 1e300) },
			notFinite + "x_j = sin(j+1) (log p = -Inf): a parameter is out of range (after layers[3] (linear) the values reach |y_j| = 1.41e+299, where the base (diagonal_normal) gives log p = -Inf)"},
		{"made bias 1e300", func(m map[string]any) {
			layerAt(m, 0)["scale_clamp"] = 0
			set(netAt(m, 0, 2)["bias"].([]any), 1, 1e300)
		}, notFinite + "x = 0 (log p = NaN): a parameter is out of range (layers[0] (affine_injection) gives NaN in its output)"},
		{"made hidden weight 1e300", func(m map[string]any) {
			layerAt(m, 0)["scale_clamp"] = 0
			fill(netAt(m, 0, 0)["weight"], 1e300)
			fill(netAt(m, 0, 2)["weight"], 1) // the output map starts at zero: the identity
		}, notFinite + "x_j = sin(j+1) (log p = NaN): a parameter is out of range (layers[0] (affine_injection) gives "},
		{"injection embedding 1e300", func(m map[string]any) {
			layerAt(m, 1)["scale_clamp"] = 0
			fill(layerAt(m, 1)["embedding"], 1e300)
			fill(netAt(m, 1, 1)["weight"], 1)
		}, notFinite + "x = 0 (log p = NaN): a parameter is out of range (layers[1] (injection) gives "},
		{"elementwise shift 1e300", func(m map[string]any) { set(layerAt(m, 4)["shift"].([]any), 0, -1e300) },
			notFinite + "x = 0 (log p = -Inf): a parameter is out of range (after layers[4] (elementwise_affine) the values reach |y_j| = 6.62e+299, where the base (diagonal_normal) gives log p = -Inf)"},
		{"base mean 1e300", func(m map[string]any) { set(m["base"].(map[string]any)["mean"].([]any), 0, 1e300) },
			notFinite + "x = 0 (log p = -Inf): a parameter is out of range (the base (diagonal_normal) gives log p = -Inf at the last layer's output (largest |y_j| = 0.613))"},
	})
}

// A conditional model is probed with a zero context.
func TestRefuseValuesConditional(t *testing.T) {
	f := conditionalFlow(t)
	// layers: 0 affine_injection (context 2), 1 linear, 2 actnorm, 3 affine_injection, ...
	_, _, err := modelfile.Unmarshal(edited(t, f, func(m map[string]any) {
		layerAt(m, 3)["scale_clamp"] = 0
		last := layerAt(m, 3)["net"].([]any)
		last[len(last)-1].(map[string]any)["bias"].([]any)[0] = 1e300
	}), "model.json")
	require.ErrorContains(t, err, "model.json: the density is not finite at x = 0 (log p = NaN): a parameter is out of range (layers[3] (affine_injection) gives +Inf in its output)")
}

// fill sets every entry of a decoded matrix to v.
func fill(rows any, v float64) {
	for _, r := range rowsAt(rows) {
		for j := range r.([]any) {
			r.([]any)[j] = v
		}
	}
}

// Extreme values that leave the density finite at the probe rows load: the bounds themselves,
// a heavy Student-t, and a large weight that the mask switches off.
func TestAcceptExtremeValues(t *testing.T) {
	f := refusalFlow(t)
	for _, c := range []struct {
		name string
		edit func(m map[string]any)
	}{
		{"log_std at the bound", func(m map[string]any) {
			m["base"].(map[string]any)["log_std"] = []any{300, -300, 0}
			m["base"].(map[string]any)["mean"] = []any{0, 0, 0}
		}},
		{"log_scale at the bound", func(m map[string]any) { layerAt(m, 4)["log_scale"] = []any{-300, -300, -300} }},
		{"nu MaxNu", func(m map[string]any) { m["base"] = map[string]any{"type": "student_t", "nu": 1e10} }},
		{"nu tiny", func(m map[string]any) { m["base"] = map[string]any{"type": "student_t", "nu": 1e-3} }},
		{"masked-off weight", func(m map[string]any) {
			for i, row := range rowsAt(netAt(m, 0, 0)["mask"]) {
				for j, v := range row.([]any) {
					if v.(float64) == 0 {
						rowAt(netAt(m, 0, 0)["weight"], i)[j] = 1e300
					}
				}
			}
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			g, _, err := modelfile.Unmarshal(edited(t, f, c.edit), "model.json")
			require.NoError(t, err)
			for _, v := range g.LogProbs(dataRows(t, 3)) {
				require.False(t, math.IsNaN(v))
			}
		})
	}
}
