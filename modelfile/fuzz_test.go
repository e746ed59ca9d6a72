package modelfile_test

import (
	"math"
	"strings"
	"testing"

	"github.com/affineflow/flow/modelfile"
	"github.com/stretchr/testify/require"
)

// fuzzSeeds are small files of every layer and base kind, written by Marshal (flowCases, the
// conditional flow) or by hand, and malformed ones.
func fuzzSeeds(f *testing.F) [][]byte {
	var seeds [][]byte
	for i, c := range flowCases() {
		b, err := modelfile.Marshal(c.build(f, int64(300+i)), testMeta())
		require.NoError(f, err, c.name)
		seeds = append(seeds, b)
	}
	b, err := modelfile.Marshal(conditionalFlow(f), modelfile.Meta{"context": []string{"u", "v"}})
	require.NoError(f, err)
	seeds = append(seeds, b)
	for _, s := range []string{
		string(modelText(1, normalBase)),
		string(modelText(2, `{"type": "student_t", "nu": 3.5}`)),
		string(modelText(2, `{"type": "diagonal_normal", "mean": [0.5, -1], "log_std": [0.1, -0.2]}`)),
		string(modelText(2, normalBase, `{"type": "permutation", "perm": [1, 0]}`)),
		string(modelText(2, normalBase, `{"type": "linear", "weight": [[2, 0.5], [0, 1]], "bias": [0.1, 0]}`)),
		string(modelText(2, normalBase, `{"type": "linear", "weight": [[2, 0], [0, 1]], "bias": [0, 0], "blocks": [1, 2]}`)),
		string(modelText(2, normalBase, `{"type": "elementwise_affine", "shift": [1, 2], "log_scale": [0.5, -0.5], "frozen": true}`)),
		string(modelText(2, normalBase, `{"type": "affine_injection", "order": [1, 2], "activation": "tanh", "scale_clamp": 2, `+
			`"net": [{"weight": [[1], [0.5]], "bias": [0.1], "mask": [[1], [0]]}, `+
			`{"weight": [[0.3, 0.7, -0.2, 0.4]], "bias": [0, 0.1, 0.2, 0.3], "mask": [[0, 1, 0, 1]]}]}`)),
		string(modelText(1, normalBase, `{"type": "affine_injection", "order": [1], "activation": "relu", "scale_clamp": 0, "context": 1, `+
			`"net": [{"weight": [[0, 0], [0.5, -0.5]], "bias": [0.1, 0.2], "mask": [[0, 0], [1, 1]]}]}`)),
		string(modelText(2, normalBase, `{"type": "injection", "order": [2, 1], "mask": [[0, 0.5], [0, 0]], "embedding": [[0.1], [0.2]], `+
			`"activation": "elu", "scale_clamp": 1, "net": [{"weight": [[1, 0], [0, 1], [0.5, 0.5]], "bias": [0, 0]}]}`)),
		string(modelText(1, normalBase, deepNet(3))),
		// malformed
		"", "null", "[]", "{}", `{"format": "affine-injection-flow/v1"}`,
		string(modelText(0, normalBase)), string(modelText(-1, normalBase)),
		string(modelText(2, `{"type": "student_t", "nu": -1}`)),
		string(modelText(2, normalBase, `{"type": "permutation", "perm": [1, 1]}`)),
		string(modelText(2, normalBase, `{"type": "linear", "weight": [[1, 1], [1, 1]], "bias": [0, 0]}`)),
		`{"format": "affine-injection-flow/v1", "dim": 1e3, "base": {}, "layers": {}}`,
		`{"format": "affine-injection-flow/v1", "dim": 2, "base": {"type": "standard_normal"}, "layers": [`,
		string(modelText(1e9, normalBase)),
		string(modelText(2, `{"type": "student_t", "nu": 1e308}`)),
		string(modelText(2, `{"type": "diagonal_normal", "mean": [1e300, 0], "log_std": [1000, 0]}`)),
		string(modelText(1, normalBase, `{"type": "linear", "Weight": [[1]], "bias": [0], "blocks": [1099511627776]}`)),
		string(modelText(1, normalBase, `{"type": "affine_injection", "order": [1], "activation": "relu", "scale_clamp": 0, "context": null, `+
			`"net": [{"weight": [[1e300, 0.5]], "bias": [0.1, 0.2], "mask": [[0, 0]]}]}`)),
	} {
		seeds = append(seeds, []byte(s))
	}
	return seeds
}

// FuzzUnmarshal: whatever the bytes, Unmarshal does not panic; it either refuses them with an
// error that starts with the file name, or returns a flow that validates, whose Marshal
// round-trips (Marshal of the reloaded flow gives the same bytes), whose log-density is finite
// at the probe rows, and which agrees there with the reference evaluator (reference_test.go)
// reading the same bytes.
func FuzzUnmarshal(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		g, meta, err := modelfile.Unmarshal(data, "fuzz.json")
		if err != nil {
			require.True(t, strings.HasPrefix(err.Error(), "fuzz.json: "), "%v", err)
			return
		}
		require.NoError(t, g.Validate())
		b, err := modelfile.Marshal(g, meta)
		require.NoError(t, err, "a file that loads must be writable")
		g2, meta2, err := modelfile.Unmarshal(b, "again.json")
		require.NoError(t, err, "a written file must load")
		b2, err := modelfile.Marshal(g2, meta2)
		require.NoError(t, err)
		require.Equal(t, string(b), string(b2))

		x := modelfile.ProbeRows(g.Dim())
		lp := g.LogProbs(x)
		require.Equal(t, lp, g2.LogProbs(x))
		ref := refDecode(data)
		for r, v := range lp {
			require.False(t, math.IsNaN(v) || math.IsInf(v, 0), "log p = %v at probe row %d", v, r)
			want := ref.logProb(x.RawRowView(r))
			require.InDelta(t, want, v, 1e-6*(1+math.Abs(want)), "probe row %d against the reference evaluator", r)
		}
	})
}
