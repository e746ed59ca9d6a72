package modelfile

import (
	"math"
	"strconv"
)

// JSON has no NaN or infinities: Marshal writes a non-finite number anywhere in the meta as the
// string "NaN", "+Inf" or "-Inf" (a test NLL is +Inf when a test row has log-density -Inf), and
// Meta.Number reads those strings back as the number.
func encodable(v any) any {
	switch v := v.(type) {
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nonFinite(v)
		}
	case float32:
		return encodable(float64(v))
	case Meta:
		return encodable(map[string]any(v))
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[k] = encodable(x)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = encodable(x)
		}
		return out
	case []map[string]any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = encodable(x)
		}
		return out
	case []float64:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = encodable(x)
		}
		return out
	}
	return v
}

// nonFinite names a NaN or an infinity as Meta stores it.
func nonFinite(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case v > 0:
		return "+Inf"
	}
	return "-Inf"
}

// parseNonFinite reads back what nonFinite wrote.
func parseNonFinite(s string) (float64, bool) {
	switch s {
	case "NaN", "+Inf", "-Inf":
		v, err := strconv.ParseFloat(s, 64)
		return v, err == nil
	}
	return 0, false
}
