package modelfile_test

import (
	"encoding/json"
	"math/rand"
	"testing"

	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/modelfile"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Files that follow the format but were not written by Marshal: optional fields absent or
// spelled out, unknown extra fields, soft affine masks. The package and the reference evaluator
// must still agree.
func TestHandWrittenVariants(t *testing.T) {
	f := refusalFlow(t)
	rng := rand.New(rand.NewSource(9))
	for _, p := range f.Params() {
		for i := range p.Data() {
			p.Data()[i] += 0.3 * rng.NormFloat64()
		}
	}
	data := edited(t, f, func(m map[string]any) {
		m["extra"] = map[string]any{"anything": []any{1, "two"}}
		delKey(m, "meta")
		made := layerAt(m, 0)
		made["comment"] = "unknown fields are ignored"
		for e := range 3 {
			netAt(m, 0, e)["residual"] = false
			for _, row := range rowsAt(netAt(m, 0, e)["mask"]) {
				for j, v := range row.([]any) {
					row.([]any)[j] = 0.75 * v.(float64) // soft masks on the same support
				}
			}
		}
		for e := range 2 {
			w := rowsAt(netAt(m, 1, e)["weight"])
			mask := make([]any, len(w))
			for i := range mask {
				row := make([]any, len(w[i].([]any)))
				for j := range row {
					row[j] = 1
				}
				mask[i] = row
			}
			netAt(m, 1, e)["mask"] = mask // an all-ones mask is allowed in injection nets
		}
		delKey(layerAt(m, 3), "lu")     // the loader factorizes weight
		delKey(layerAt(m, 4), "frozen") // absent means learnable
	})
	g, meta, err := modelfile.Unmarshal(data, "hand.json")
	require.NoError(t, err)
	assert.Nil(t, meta)
	assert.False(t, g.Layers[4].(*layers.ElementwiseAffine).Frozen)

	ref := refDecode(data)
	x := dataRows(t, 3)
	got := g.LogProbs(x)
	for r := range got {
		require.InDelta(t, ref.logProb(x.RawRowView(r)), got[r], 1e-9, "row %d", r)
	}
	// Rewriting the loaded model gives a canonical file with the same density.
	b, err := modelfile.Marshal(g, nil)
	require.NoError(t, err)
	h, _, err := modelfile.Unmarshal(b, "again.json")
	require.NoError(t, err)
	again := h.LogProbs(x)
	for r := range got {
		require.InDelta(t, got[r], again[r], 1e-9)
	}
}

func TestMinimalFile(t *testing.T) {
	data := []byte(`{"format": "affine-injection-flow/v1", "dim": 2, "base": {"type": "standard_normal"}, "layers": []}`)
	f, _, err := modelfile.Unmarshal(data, "min.json")
	require.NoError(t, err)
	require.Empty(t, f.Layers)
	x := dataRows(t, 2)
	for r, lp := range f.LogProbs(x) {
		require.InDelta(t, refDecode(data).logProb(x.RawRowView(r)), lp, 1e-12)
	}
	var top map[string]any
	b, err := modelfile.Marshal(f, nil)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &top))
	assert.Equal(t, []any{}, top["layers"])
}
