package modelfile_test

import (
	"math"
	"testing"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/modelfile"
	"github.com/stretchr/testify/require"
)

// TestMarshalNonFiniteMeta: non-finite numbers in the meta (a test NLL of +Inf) are written as
// strings and read back as numbers; they used to fail the whole save with
// "json: unsupported value: +Inf".
func TestMarshalNonFiniteMeta(t *testing.T) {
	f := &distributions.Flow{Base: distributions.StandardNormal{D: 2}}
	meta := modelfile.Meta{"test_nll": math.Inf(1), "val_nll": math.NaN(), "low": math.Inf(-1), "ok": 1.5,
		"candidates": []map[string]any{{"val_nll": math.Inf(1)}}, "list": []float64{1, math.NaN()}}
	b, err := modelfile.Marshal(f, meta)
	require.NoError(t, err)
	require.Contains(t, string(b), `"test_nll":"+Inf"`)
	require.Contains(t, string(b), `"candidates":[{"val_nll":"+Inf"}]`)
	require.Contains(t, string(b), `"list":[1,"NaN"]`)
	_, got, err := modelfile.Unmarshal(b, "m.json")
	require.NoError(t, err)
	for key, want := range map[string]float64{"test_nll": math.Inf(1), "low": math.Inf(-1), "ok": 1.5} {
		v, ok := got.Number(key)
		require.True(t, ok, key)
		require.Equal(t, want, v, key)
	}
	v, ok := got.Number("val_nll")
	require.True(t, ok)
	require.True(t, math.IsNaN(v))
	_, ok = got.Number("missing")
	require.False(t, ok)
	require.True(t, math.IsInf(meta["test_nll"].(float64), 1), "the caller's meta is not changed")
}
