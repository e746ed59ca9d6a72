package modelfile_test

import (
	"math/rand"
	"testing"

	"github.com/affineflow/flow/modelfile"
	"github.com/stretchr/testify/require"
)

// Each layer kind's refusals, on refusalFlow's layers:
// 0 affine_injection (D=3, hidden 4, 4), 1 injection (E=2, hidden 4), 2 permutation, 3 linear,
// 4 elementwise_affine.
func TestRefuseAffineInjection(t *testing.T) {
	const at = "model.json: layers[0] (affine_injection): "
	ones := func(r, c int) []any {
		rows := make([]any, r)
		for i := range rows {
			row := make([]any, c)
			for j := range row {
				row[j] = 1.0
			}
			rows[i] = row
		}
		return rows
	}
	runRefusals(t, []refusal{
		{"last weight columns", func(m map[string]any) {
			w := netAt(m, 0, 2)["weight"]
			for i := range rowsAt(w) {
				setRow(w, i, dropLast(rowAt(w, i)))
			}
		}, at + "net[2].weight is 4×5, want 4×6"},
		{"hidden weight rows", func(m map[string]any) { netAt(m, 0, 1)["weight"] = dropLast(rowsAt(netAt(m, 0, 1)["weight"])) },
			at + "net[1].weight is 3×4, want 4×4"},
		{"ragged weight", func(m map[string]any) { w := netAt(m, 0, 0)["weight"]; setRow(w, 1, dropLast(rowAt(w, 1))) },
			at + "net[0].weight[1] has 3 values, want 4 like net[0].weight[0]"},
		{"weight string", func(m map[string]any) { rowAt(netAt(m, 0, 0)["weight"], 0)[0] = "x" },
			at + "net[0].weight: got string, want a number"},
		{"weight missing", func(m map[string]any) { delKey(netAt(m, 0, 1), "weight") }, at + "net[1].weight is missing"},
		{"bias length", func(m map[string]any) { netAt(m, 0, 0)["bias"] = dropLast(netAt(m, 0, 0)["bias"].([]any)) },
			at + "net[0].bias has 3 values, want 4"},
		{"mask shape", func(m map[string]any) { netAt(m, 0, 0)["mask"] = dropLast(rowsAt(netAt(m, 0, 0)["mask"])) },
			at + "net[0].mask is 2×4, want 3×4"},
		{"mask above 1", func(m map[string]any) { rowAt(netAt(m, 0, 0)["mask"], 0)[1] = 1.5 },
			at + "net[0].mask[0][1] is 1.5, want a value in [0, 1]"},
		{"mask negative", func(m map[string]any) { rowAt(netAt(m, 0, 2)["mask"], 3)[2] = -0.5 },
			at + "net[2].mask[3][2] is -0.5, want a value in [0, 1]"},
		{"mask missing", func(m map[string]any) { delKey(netAt(m, 0, 1), "mask") }, at + "net[1].mask is missing"},
		{"not autoregressive", func(m map[string]any) { netAt(m, 0, 2)["mask"] = ones(4, 6) },
			at + "net masks are not autoregressive in order (outputs 0..2 are s, 3..5 are t): masks: output 0 (degree 1) sees input 0 (degree 1)"},
		{"residual not autoregressive", func(m map[string]any) { relabelHidden(m); netAt(m, 0, 1)["residual"] = true },
			at + "net masks are not autoregressive in order (outputs 0..2 are s, 3..5 are t): masks: output 1 (degree 2) sees input 1 (degree 2)"},
		{"residual last", func(m map[string]any) { netAt(m, 0, 2)["residual"] = true },
			at + "net[2].residual is true, but the last entry is linear and cannot be residual"},
		{"residual not square", func(m map[string]any) { netAt(m, 0, 0)["residual"] = true },
			at + "net[0].residual is true, but the weight is 3×4, not square"},
		{"residual string", func(m map[string]any) { netAt(m, 0, 1)["residual"] = "yes" },
			at + "net[1].residual: got string, want true or false"},
		{"net entry not an object", func(m map[string]any) { layerAt(m, 0)["net"].([]any)[1] = 3 }, at + "net[1]: got number, want an object"},
		{"net not an array", func(m map[string]any) { layerAt(m, 0)["net"] = "x" }, at + "net: got string, want an array"},
		{"net empty", func(m map[string]any) { layerAt(m, 0)["net"] = []any{} }, at + "net is empty, want at least one entry"},
		{"net missing", func(m map[string]any) { delKey(layerAt(m, 0), "net") }, at + "net is missing"},
		{"order gap", func(m map[string]any) { layerAt(m, 0)["order"] = []any{1, 2, 4} },
			at + "order [1 2 4] is not a permutation of 1..3 nor block numbers 1..K: masks: "},
		{"order zero", func(m map[string]any) { layerAt(m, 0)["order"] = []any{0, 1, 2} },
			at + "order [0 1 2] is not a permutation of 1..3 nor block numbers 1..K: masks: degree 0 at position 0 outside 1..2"},
		{"order length", func(m map[string]any) { layerAt(m, 0)["order"] = []any{1, 2} }, at + "order has 2 entries, want 3"},
		{"order fraction", func(m map[string]any) { layerAt(m, 0)["order"] = []any{1, 2.5, 3} },
			at + "order: got number 2.5, want an integer"},
		{"order missing", func(m map[string]any) { delKey(layerAt(m, 0), "order") }, at + "order is missing"},
		{"activation unknown", func(m map[string]any) { layerAt(m, 0)["activation"] = "swish" },
			at + `activation: layers: unknown activation "swish"`},
		{"activation empty", func(m map[string]any) { layerAt(m, 0)["activation"] = "" }, at + `activation is ""`},
		{"activation missing", func(m map[string]any) { delKey(layerAt(m, 0), "activation") }, at + "activation is missing"},
		{"scale_clamp negative", func(m map[string]any) { layerAt(m, 0)["scale_clamp"] = -1 },
			at + "scale_clamp is -1, want a finite value >= 0 (0 means no bound)"},
		{"scale_clamp missing", func(m map[string]any) { delKey(layerAt(m, 0), "scale_clamp") }, at + "scale_clamp is missing"},
	})
}

// relabelHidden reverses the units of the second hidden layer of layers[0] (columns of net[1],
// rows of net[2]): the same function with the same masks' connectivity, but unit u of the first
// hidden layer now faces a unit of another degree, which a residual connection would join.
func relabelHidden(m map[string]any) {
	for _, key := range []string{"weight", "mask"} {
		for _, r := range rowsAt(netAt(m, 0, 1)[key]) {
			reverse(r.([]any))
		}
		reverse(rowsAt(netAt(m, 0, 2)[key]))
	}
	reverse(netAt(m, 0, 1)["bias"].([]any))
}

func reverse(v []any) {
	for i, j := 0, len(v)-1; i < j; i, j = i+1, j-1 {
		v[i], v[j] = v[j], v[i]
	}
}

// Relabeling hidden units without a residual connection is a valid, equal model.
func TestRelabeledHiddenLoads(t *testing.T) {
	f := refusalFlow(t)
	g, _, err := modelfile.Unmarshal(edited(t, f, relabelHidden), "model.json")
	require.NoError(t, err)
	x := data(5, 3, rand.New(rand.NewSource(1)))
	want, got := f.LogProbs(x), g.LogProbs(x)
	for r := range want {
		require.InDelta(t, want[r], got[r], 1e-12)
	}
}

func TestRefuseInjection(t *testing.T) {
	const at = "model.json: layers[1] (injection): "
	runRefusals(t, []refusal{
		{"mask outside support", func(m map[string]any) { rowAt(layerAt(m, 1)["mask"], 2)[0] = 0.5 },
			at + "mask is outside the support allowed by order [3 2 1]: masks: entry (row 2, column 0) = 0.5 but output 2 (degree 1) may not depend on input 0 (degree 3)"},
		{"mask above 1", func(m map[string]any) { rowAt(layerAt(m, 1)["mask"], 0)[1] = 1.5 }, at + "mask[0][1] is 1.5, want a value in [0, 1]"},
		{"mask shape", func(m map[string]any) { layerAt(m, 1)["mask"] = dropLast(rowsAt(layerAt(m, 1)["mask"])) }, at + "mask is 2×3, want 3×3"},
		{"mask missing", func(m map[string]any) { delKey(layerAt(m, 1), "mask") }, at + "mask is missing"},
		{"embedding rows", func(m map[string]any) { layerAt(m, 1)["embedding"] = dropLast(rowsAt(layerAt(m, 1)["embedding"])) },
			at + "embedding is 2×2, want 3×2"},
		{"embedding empty rows", func(m map[string]any) { layerAt(m, 1)["embedding"] = []any{[]any{}, []any{}, []any{}} },
			at + "embedding is 3×0, want a non-empty matrix"},
		{"first weight rows", func(m map[string]any) { netAt(m, 1, 0)["weight"] = dropLast(rowsAt(netAt(m, 1, 0)["weight"])) },
			at + "net[0].weight is 4×4, want 5×4"},
		{"last weight columns", func(m map[string]any) {
			w := netAt(m, 1, 1)["weight"]
			for i := range rowsAt(w) {
				setRow(w, i, append(rowAt(w, i), 0.0))
			}
		}, at + "net[1].weight is 4×3, want 4×2"},
		{"net mask", func(m map[string]any) {
			netAt(m, 1, 1)["mask"] = []any{[]any{1, 1}, []any{1, 0.5}, []any{1, 1}, []any{1, 1}}
		}, at + "net[1].mask is not all ones: this layer's net entries are unmasked (omit the field)"},
		{"order", func(m map[string]any) { layerAt(m, 1)["order"] = []any{3, 3, 1} },
			at + "order [3 3 1] is not a permutation of 1..3 nor block numbers 1..K"},
		{"activation", func(m map[string]any) { layerAt(m, 1)["activation"] = "gelu" }, at + `activation: layers: unknown activation "gelu"`},
		{"scale_clamp", func(m map[string]any) { layerAt(m, 1)["scale_clamp"] = -0.5 }, at + "scale_clamp is -0.5, want a finite value >= 0"},
	})
}

func TestRefusePermutationLinearElementwise(t *testing.T) {
	singular := []any{[]any{1, 2, 3}, []any{2, 4, 6}, []any{1, 0, 1}}
	runRefusals(t, []refusal{
		{"perm repeat", func(m map[string]any) { layerAt(m, 2)["perm"] = []any{0, 0, 1} },
			"model.json: layers[2] (permutation): perm [0 0 1] is not a permutation of 0..2"},
		{"perm range", func(m map[string]any) { layerAt(m, 2)["perm"] = []any{1, 2, 3} },
			"model.json: layers[2] (permutation): perm [1 2 3] is not a permutation of 0..2"},
		{"perm length", func(m map[string]any) { layerAt(m, 2)["perm"] = []any{0, 1} },
			"model.json: layers[2] (permutation): perm has 2 entries, want 3"},
		{"linear singular", func(m map[string]any) { layerAt(m, 3)["weight"] = singular; delKey(layerAt(m, 3), "lu") },
			"model.json: layers[3] (linear): weight: layers: linear weight is singular"},
		{"linear zero", func(m map[string]any) {
			layerAt(m, 3)["weight"] = []any{[]any{0, 0, 0}, []any{0, 0, 0}, []any{0, 0, 0}}
		}, "model.json: layers[3] (linear): weight: layers: linear weight is singular"},
		{"linear shape", func(m map[string]any) { layerAt(m, 3)["weight"] = dropLast(rowsAt(layerAt(m, 3)["weight"])) },
			"model.json: layers[3] (linear): weight is 2×3, want 3×3"},
		{"linear bias", func(m map[string]any) { delKey(layerAt(m, 3), "bias") }, "model.json: layers[3] (linear): bias is missing"},
		{"lu mismatch", func(m map[string]any) { rowAt(layerAt(m, 3)["weight"], 0)[0] = 0.123 },
			"model.json: layers[3] (linear): lu does not match weight: (P·L·U)[0][0] = "},
		{"lu sign", func(m map[string]any) { layerAt(m, 3)["lu"].(map[string]any)["sign"] = []any{2, 1, 1} },
			"model.json: layers[3] (linear): lu.sign[0] is 2, want 1 or -1"},
		{"lu p", func(m map[string]any) { layerAt(m, 3)["lu"].(map[string]any)["p"] = []any{0, 0, 1} },
			"model.json: layers[3] (linear): lu.p [0 0 1] is not a permutation of 0..2"},
		{"lu lower", func(m map[string]any) { delKey(layerAt(m, 3)["lu"].(map[string]any), "lower") },
			"model.json: layers[3] (linear): lu.lower is missing"},
		{"shift length", func(m map[string]any) { layerAt(m, 4)["shift"] = []any{0, 0} },
			"model.json: layers[4] (elementwise_affine): shift has 2 values, want 3"},
		{"log_scale missing", func(m map[string]any) { delKey(layerAt(m, 4), "log_scale") },
			"model.json: layers[4] (elementwise_affine): log_scale is missing"},
		{"frozen string", func(m map[string]any) { layerAt(m, 4)["frozen"] = "yes" },
			"model.json: layers[4] (elementwise_affine): frozen: got string, want true or false"},
	})
}
