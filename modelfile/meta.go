package modelfile

import (
	"math"
	"reflect"
	"strconv"
)

// JSON has no NaN or infinities: Marshal writes a non-finite number anywhere in the meta (in any
// map with string keys or slice, at any depth) as the string "NaN", "+Inf" or "-Inf" (a test NLL
// is +Inf when a test row has log-density -Inf), and Meta.Number reads those strings back as the
// number. Other values are returned as they are.
func encodable(v any) any {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Float32, reflect.Float64:
		if f := rv.Float(); math.IsNaN(f) || math.IsInf(f, 0) {
			return nonFinite(f)
		}
	case reflect.Map:
		if rv.IsNil() || rv.Type().Key().Kind() != reflect.String {
			return v
		}
		out := make(map[string]any, rv.Len())
		for it := rv.MapRange(); it.Next(); {
			out[it.Key().String()] = encodable(it.Value().Interface())
		}
		return out
	case reflect.Slice, reflect.Array:
		if (rv.Kind() == reflect.Slice && rv.IsNil()) || rv.Type().Elem().Kind() == reflect.Uint8 {
			return v // null stays null; bytes: encoding/json writes them as base64
		}
		out := make([]any, rv.Len())
		for i := range out {
			out[i] = encodable(rv.Index(i).Interface())
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
