package modelfile

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestEncodableKeepsFiniteJSON: encodable changes only non-finite numbers: every other value
// encodes to the same JSON as before (null slices stay null, bytes stay base64).
func TestEncodableKeepsFiniteJSON(t *testing.T) {
	var nilStrings []string
	meta := map[string]any{"a": []string{"x"}, "b": nilStrings, "c": []byte("hi"), "d": map[string]float64{"e": 1.5},
		"f": [2]int{1, 2}, "g": float32(2), "h": map[int]string{1: "one"}, "i": []any{1, "s", nil}}
	want, err := json.Marshal(meta)
	require.NoError(t, err)
	got, err := json.Marshal(encodable(meta))
	require.NoError(t, err)
	require.JSONEq(t, string(want), string(got))
	got, err = json.Marshal(encodable(map[string]any{"m": map[string]float64{"x": math.NaN()}, "a": [1]float32{float32(math.Inf(-1))}}))
	require.NoError(t, err)
	require.JSONEq(t, `{"m":{"x":"NaN"},"a":["-Inf"]}`, string(got))
}
