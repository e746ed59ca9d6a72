package modelfile_test

import (
	"testing"

	"github.com/affineflow/flow/modelfile"
	"github.com/stretchr/testify/require"
)

// Keys are case-sensitive, as in every other reader of the format: encoding/json alone would
// read "Weight", "WEIGHT" or "ſhift" (long s) as "weight" and "shift", and take the later of two
// such keys, so that a reader in another language, seeing only "weight", would compute another
// density from the same file. Nor is null a value: encoding/json would read "context": null as 0
// and "mask": null as absent, where another reader fails. Numbers beyond float64 are named as
// such.
func TestKeysAndNumbers(t *testing.T) {
	const meta = `{"format": "affine-injection-flow/v1", "dim": 1, "meta": {"a": 1e400}, "base": {"type": "standard_normal"}, "layers": []}`
	for _, c := range []struct{ name, data, want string }{
		{"layer key case", string(modelText(2, normalBase, `{"type": "linear", "Weight": [[2, 0.5], [0, 1]], "bias": [0.1, 0]}`)),
			`model.json: layers[0] (linear): the key "Weight" is not "weight" (keys are case-sensitive)`},
		{"layer key twice", string(modelText(2, normalBase, `{"type": "linear", "weight": [[2, 0.5], [0, 1]], "WEIGHT": [[1, 0], [0, 1]], "bias": [0.1, 0]}`)),
			`model.json: layers[0] (linear): the key "WEIGHT" is not "weight" (keys are case-sensitive)`},
		{"unicode fold", string(modelText(2, normalBase, `{"type": "elementwise_affine", "ſhift": [1, 2], "log_scale": [0.5, -0.5]}`)),
			`model.json: layers[0] (elementwise_affine): the key "ſhift" is not "shift" (keys are case-sensitive)`},
		{"net entry", string(modelText(1, normalBase, `{"type": "affine_injection", "order": [1], "activation": "relu", "scale_clamp": 0, `+
			`"net": [{"weight": [[0, 0]], "Bias": [0, 0], "mask": [[0, 0]]}]}`)),
			`model.json: layers[0] (affine_injection): net[0]: the key "Bias" is not "bias" (keys are case-sensitive)`},
		{"nested object", string(modelText(1, normalBase, `{"type": "linear", "weight": [[1]], "bias": [0], `+
			`"lu": {"P": [0], "lower": [[0]], "upper": [[0]], "log_diag": [0], "sign": [1]}}`)),
			`model.json: layers[0] (linear): lu: the key "P" is not "p" (keys are case-sensitive)`},
		{"base", string(modelText(1, `{"type": "student_t", "Nu": 4}`)),
			`model.json: base (student_t): the key "Nu" is not "nu" (keys are case-sensitive)`},
		{"weight 1e400", string(modelText(2, normalBase, `{"type": "linear", "weight": [[2, 0.5], [0, 1e400]], "bias": [0.1, 0]}`)),
			"model.json: layers[0] (linear): weight: got number 1e400, want a number within ±1.8e308 (a float64)"},
		{"meta 1e400", meta, "model.json: meta: json: cannot unmarshal number 1e400 into Go value of type float64"},
		{"context null", string(modelText(1, normalBase, `{"type": "affine_injection", "order": [1], "activation": "relu", "scale_clamp": 0, `+
			`"context": null, "net": [{"weight": [[0.5, 0.5]], "bias": [0.1, 0.2], "mask": [[0, 0]]}]}`)),
			"model.json: layers[0] (affine_injection): context is null, want a value (omit an optional field instead)"},
		{"net mask null", string(modelText(1, normalBase, `{"type": "injection", "order": [1], "mask": [[0]], "embedding": [[1]], `+
			`"activation": "relu", "scale_clamp": 0, "net": [{"weight": [[0.5, 0.5], [1, 1]], "bias": [0.1, 0.2], "mask": null}]}`)),
			"model.json: layers[0] (injection): net[0].mask is null, want a value (omit an optional field instead)"},
		{"lu field null", string(modelText(1, normalBase, `{"type": "linear", "weight": [[1]], "bias": [0], `+
			`"lu": {"p": null, "lower": [[0]], "upper": [[0]], "log_diag": [0], "sign": [1]}}`)),
			"model.json: layers[0] (linear): lu.p is null, want a value (omit an optional field instead)"},
		{"type array", string(modelText(1, normalBase, `{"type": ["linear"]}`)), `model.json: layers[0]: "type" is an array, want a string`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := modelfile.Unmarshal([]byte(c.data), "model.json")
			require.EqualError(t, err, c.want)
		})
	}
	// extra fields whose names merely contain a field's name still load
	_, _, err := modelfile.Unmarshal(modelText(2, normalBase, `{"type": "permutation", "perm": [1, 0], "perm_note": "x", "Perms": 1}`), "model.json")
	require.NoError(t, err)
}
