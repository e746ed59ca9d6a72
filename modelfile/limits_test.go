package modelfile_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/affineflow/flow/graph"
	"github.com/affineflow/flow/modelfile"
	"github.com/stretchr/testify/require"
)

// modelText is a file of width dim with the given base object and layer objects.
func modelText(dim int, base string, layers ...string) []byte {
	return fmt.Appendf(nil, `{"format": "affine-injection-flow/v1", "dim": %d, "base": %s, "layers": [%s]}`,
		dim, base, strings.Join(layers, ","))
}

const normalBase = `{"type": "standard_normal"}`

// deepNet is a D=1 affine_injection layer whose net has n entries (all weights masked off).
func deepNet(n int) string {
	entries := make([]string, n)
	for k := range entries {
		entries[k] = `{"weight": [[0]], "bias": [0], "mask": [[0]]}`
	}
	entries[n-1] = `{"weight": [[0, 0]], "bias": [0, 0], "mask": [[0, 0]]}`
	return `{"type": "affine_injection", "order": [1], "activation": "relu", "scale_clamp": 0, "net": [` +
		strings.Join(entries, ",") + `]}`
}

func repeat(s string, n int) []string {
	out := make([]string, n)
	for k := range out {
		out[k] = s
	}
	return out
}

// Every number that sizes an allocation is bounded before it is used, and every list a file may
// make long: a file at a limit loads, one beyond it is refused with the limit's name.
func TestLimits(t *testing.T) {
	perm := `{"type": "permutation", "perm": [0]}`
	for _, c := range []struct {
		name string
		data []byte
		want string // "" loads
	}{
		{"dim MaxDim", modelText(modelfile.MaxDim, normalBase), ""},
		{"dim MaxDim+1", modelText(modelfile.MaxDim+1, normalBase), "model.json: dim is 65537, over the limit modelfile.MaxDim = 65536"},
		{"dim 1e9", modelText(1e9, normalBase), "model.json: dim is 1000000000, over the limit modelfile.MaxDim = 65536"},
		{"dim 1e18 student", modelText(1e18, `{"type": "student_t", "nu": 5}`), "model.json: dim is 1000000000000000000, over the limit"},
		{"layers MaxLayers", modelText(1, normalBase, repeat(perm, modelfile.MaxLayers)...), ""},
		{"layers MaxLayers+1", modelText(1, normalBase, repeat(perm, modelfile.MaxLayers+1)...),
			"model.json: layers has 1025 entries, over the limit modelfile.MaxLayers = 1024"},
		{"net MaxNetDepth", modelText(1, normalBase, deepNet(modelfile.MaxNetDepth)), ""},
		{"net MaxNetDepth+1", modelText(1, normalBase, perm, deepNet(modelfile.MaxNetDepth+1)),
			"model.json: layers[1] (affine_injection): net has 65 entries, over the limit modelfile.MaxNetDepth = 64"},
		{"order huge", modelText(1, normalBase, `{"type": "linear", "weight": [[1]], "bias": [0], "blocks": [1099511627776]}`),
			"model.json: layers[0] (linear): blocks: order [1099511627776] is not a permutation of 1..1 nor block numbers 1..K: masks: degree 1 unused"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := modelfile.Unmarshal(c.data, "model.json")
			if c.want == "" {
				require.NoError(t, err)
			} else {
				require.ErrorContains(t, err, c.want)
			}
		})
	}
}

// The limits on values inside a layer and on meta, on refusalFlow (layers[0] is an
// affine_injection).
func TestLimitsEdited(t *testing.T) {
	big := strings.Repeat("x", modelfile.MaxMetaBytes)
	runRefusals(t, []refusal{
		{"context MaxDim+1", func(m map[string]any) { layerAt(m, 0)["context"] = modelfile.MaxDim + 1 },
			"model.json: layers[0] (affine_injection): context is 65537, over the limit modelfile.MaxDim = 65536"},
		// dim + context overflowed, and the masks check then asked for a slice of negative size
		{"context MaxInt64", func(m map[string]any) { layerAt(m, 0)["context"] = math.MaxInt64 },
			"model.json: layers[0] (affine_injection): context is 9223372036854775807, over the limit modelfile.MaxDim = 65536"},
		{"meta over MaxMetaBytes", func(m map[string]any) { m["meta"] = map[string]any{"x": big} },
			"model.json: meta is 4194312 bytes of JSON, over the limit modelfile.MaxMetaBytes = 4194304"},
	})
	f := refusalFlow(t)
	_, _, err := modelfile.Unmarshal(edited(t, f, func(m map[string]any) { m["meta"] = map[string]any{"x": big[:len(big)-8]} }), "model.json")
	require.NoError(t, err, "a meta of exactly MaxMetaBytes loads")
}

// The parameters of the base and all layers together are bounded by distributions.MaxParams,
// checked after each layer (lowered here: a file over the real limit is at least 134 MB).
func TestLimitParams(t *testing.T) {
	f := refusalFlow(t)
	data, err := modelfile.Marshal(f, nil)
	require.NoError(t, err)
	n := graph.CountParams(f.Params())
	defer modelfile.SetTestLimits(modelfile.MaxFileSize, n)()
	_, _, err = modelfile.Unmarshal(data, "model.json")
	require.NoError(t, err, "exactly at the limit")

	modelfile.SetTestLimits(modelfile.MaxFileSize, n-1)
	_, _, err = modelfile.Unmarshal(data, "model.json")
	require.EqualError(t, err, fmt.Sprintf("model.json: layers[4] (elementwise_affine): the model has %d parameters up to this layer, "+
		"over the limit distributions.MaxParams = %d", n, n-1))
	_, err = modelfile.Marshal(f, nil)
	require.ErrorContains(t, err, "modelfile: refusing to write a model that would not load: layers[4] (elementwise_affine): the model has")
}

// Marshal refuses a model whose file Load would refuse for its size, so every file written
// loads (the limit is lowered here: a model of 1 GiB would take minutes to build).
func TestMarshalFileSize(t *testing.T) {
	f := refusalFlow(t)
	data, err := modelfile.Marshal(f, nil)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "model.json")
	require.NoError(t, os.WriteFile(path, data, 0o644))

	defer modelfile.SetTestLimits(int64(len(data)), 1<<26)()
	_, _, err = modelfile.Load(path)
	require.NoError(t, err, "a file of exactly the limit loads")
	_, err = modelfile.Marshal(f, modelfile.Meta{"x": 1})
	require.ErrorContains(t, err, "modelfile: the file would be ")
	require.ErrorContains(t, err, " bytes, over the limit modelfile.MaxFileSize = ")
	require.Error(t, modelfile.Save(path, f, modelfile.Meta{"x": 1}))
	_, _, err = modelfile.Load(path)
	require.NoError(t, err, "a refused Save leaves the old file")
}
