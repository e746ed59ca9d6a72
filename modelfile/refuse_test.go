package modelfile_test

import (
	"encoding/json"
	"math/rand"
	"testing"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/masks"
	"github.com/affineflow/flow/modelfile"
	"github.com/stretchr/testify/require"
)

// refusal is one hand-edited file and the error Unmarshal must give for it.
type refusal struct {
	name string
	edit func(m map[string]any)
	want string
}

// refusalFlow is a valid D=3 model with one layer of every kind:
// layers[0] affine_injection (natural order, hidden 4, 4), layers[1] injection (reversed, E=2),
// layers[2] permutation, layers[3] linear, layers[4] elementwise_affine; a diagonal base.
func refusalFlow(t testing.TB) *distributions.Flow {
	t.Helper()
	rng := rand.New(rand.NewSource(5))
	made, err := layers.NewAffineInjection(masks.Natural(3), layers.AffineSettings{Hidden: []int{4, 4}}, rng)
	require.NoError(t, err)
	inj, err := layers.NewInjection(masks.Reversed(3), layers.InjectionSettings{Hidden: []int{4}, Embedding: 2}, rng)
	require.NoError(t, err)
	an, _ := actNorm(3, rng)
	return &distributions.Flow{
		Base:   distributions.NewDiagonalNormal(3),
		Layers: []layers.Layer{made, inj, layers.Reverse(3), layers.NewLinear(3, rng), an},
	}
}

// edited marshals f, decodes the bytes into plain maps, applies edit and re-encodes.
func edited(t *testing.T, f *distributions.Flow, edit func(m map[string]any)) []byte {
	t.Helper()
	b, err := modelfile.Marshal(f, modelfile.Meta{"columns": []string{"a", "b", "c"}})
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	edit(m)
	out, err := json.Marshal(m)
	require.NoError(t, err)
	return out
}

func runRefusals(t *testing.T, cases []refusal) {
	f := refusalFlow(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := modelfile.Unmarshal(edited(t, f, c.edit), "model.json")
			require.ErrorContains(t, err, c.want)
		})
	}
}

// Editing helpers: JSON locations of the decoded model.
func layerAt(m map[string]any, k int) map[string]any { return m["layers"].([]any)[k].(map[string]any) }
func netAt(m map[string]any, k, e int) map[string]any {
	return layerAt(m, k)["net"].([]any)[e].(map[string]any)
}
func rowsAt(v any) []any                { return v.([]any) }
func rowAt(v any, i int) []any          { return v.([]any)[i].([]any) }
func dropLast(v []any) []any            { return v[:len(v)-1] }
func setRow(v any, i int, row []any)    { v.([]any)[i] = row }
func delKey(m map[string]any, k string) { delete(m, k) }

func TestRefuseTopLevel(t *testing.T) {
	runRefusals(t, []refusal{
		{"format wrong", func(m map[string]any) { m["format"] = "affine-injection-flow/v2" },
			`model.json: not an affine-injection-flow/v1 file (format "affine-injection-flow/v2")`},
		{"format number", func(m map[string]any) { m["format"] = 1 }, `model.json: not an affine-injection-flow/v1 file (format 1)`},
		{"format missing", func(m map[string]any) { delKey(m, "format") }, `model.json: not an affine-injection-flow/v1 file (no "format" field)`},
		{"dim 0", func(m map[string]any) { m["dim"] = 0 }, "model.json: dim is 0, want a positive integer"},
		{"dim negative", func(m map[string]any) { m["dim"] = -2 }, "model.json: dim is -2, want a positive integer"},
		{"dim string", func(m map[string]any) { m["dim"] = "3" }, `model.json: dim is "3", want a positive integer`},
		{"dim fraction", func(m map[string]any) { m["dim"] = 2.5 }, `model.json: dim is 2.5, want a positive integer`},
		{"dim missing", func(m map[string]any) { delKey(m, "dim") }, "model.json: dim is missing"},
		{"dim mismatch", func(m map[string]any) { m["dim"] = 4 }, "model.json: base (diagonal_normal): mean has 3 values, want 4"},
		{"meta not an object", func(m map[string]any) { m["meta"] = []any{1} }, "model.json: meta is an array, want an object"},
		{"base missing", func(m map[string]any) { delKey(m, "base") }, "model.json: base is missing"},
		{"base unknown", func(m map[string]any) { m["base"] = map[string]any{"type": "uniform"} },
			`model.json: base: unknown base type "uniform" (known: diagonal_normal, made_mixture, mixture, standard_normal, student_t)`},
		{"student_t no nu", func(m map[string]any) { m["base"] = map[string]any{"type": "student_t"} },
			"model.json: base (student_t): nu is missing"},
		{"student_t nu negative", func(m map[string]any) { m["base"] = map[string]any{"type": "student_t", "nu": -1} },
			"model.json: base (student_t): nu is -1, want a positive number"},
		{"student_t nu string", func(m map[string]any) { m["base"] = map[string]any{"type": "student_t", "nu": "x"} },
			"model.json: base (student_t): nu: got string, want a number"},
		{"base no type", func(m map[string]any) { delKey(m["base"].(map[string]any), "type") }, `model.json: base: missing "type"`},
		{"base not an object", func(m map[string]any) { m["base"] = 5 }, "model.json: base: want an object, got a number"},
		{"base log_std missing", func(m map[string]any) { delKey(m["base"].(map[string]any), "log_std") },
			"model.json: base (diagonal_normal): log_std is missing"},
		{"base mean string", func(m map[string]any) { m["base"].(map[string]any)["mean"] = []any{0, "x", 0} },
			"model.json: base (diagonal_normal): mean: got string, want a number"},
		{"layers missing", func(m map[string]any) { delKey(m, "layers") }, "model.json: layers is missing"},
		{"layers object", func(m map[string]any) { m["layers"] = map[string]any{} }, "model.json: layers is an object, want an array"},
		{"layer not an object", func(m map[string]any) { m["layers"].([]any)[1] = "x" }, "model.json: layers[1]: want an object, got a string"},
		{"layer unknown", func(m map[string]any) { layerAt(m, 2)["type"] = "coupling" },
			`model.json: layers[2]: unknown layer type "coupling" (known: affine_injection, bounded, elementwise_affine, half_bounded, injection, inverted, linear, permutation)`},
		{"layer no type", func(m map[string]any) { delKey(layerAt(m, 2), "type") }, `model.json: layers[2]: missing "type"`},
		{"layer type number", func(m map[string]any) { layerAt(m, 2)["type"] = 3 }, `model.json: layers[2]: "type" is 3, want a string`},
	})
}

func TestRefuseBadFiles(t *testing.T) {
	good, err := modelfile.Marshal(refusalFlow(t), nil)
	require.NoError(t, err)
	for _, c := range []struct{ name, data, want string }{
		{"truncated", string(good[:len(good)/2]), "model.json: invalid JSON: unexpected end of JSON input at line "},
		{"truncated says so", string(good[:len(good)/2]), "the file is truncated or incomplete"},
		{"foreign JSON", `{"hello": 1}`, `model.json: not an affine-injection-flow/v1 file (no "format" field)`},
		{"not JSON", "hello world\n", "model.json: invalid JSON: invalid character 'h' looking for beginning of value at line 1, column 1 (byte 1)"},
		{"syntax error", "{\n  \"format\": \"affine-injection-flow/v1\",\n  \"dim\": 3,,\n}", "model.json: invalid JSON: invalid character ',' looking for beginning of object key string at line 3, column 12"},
		{"array", "[1, 2]", "model.json: not an affine-injection-flow/v1 file (the top level is an array, not an object)"},
		{"null", "null", "model.json: not an affine-injection-flow/v1 file (the top level is null, not an object)"},
		{"empty", "", "model.json: invalid JSON: the file is empty"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := modelfile.Unmarshal([]byte(c.data), "model.json")
			require.ErrorContains(t, err, c.want)
		})
	}
}
