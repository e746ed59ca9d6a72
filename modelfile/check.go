package modelfile

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"

	"github.com/affineflow/flow/layers"
	"gonum.org/v1/gonum/mat"
)

// decodeInto unmarshals a JSON object into v (a pointer to a struct of the kind's fields),
// turning json's type errors into "field: got string, want a number". at is the location of raw
// inside the layer ("" for the layer itself, "net[1]" for a net entry).
func decodeInto(raw json.RawMessage, v any, at string) error {
	if t := reflect.TypeOf(v); t.Kind() == reflect.Pointer {
		if err := checkKeys(raw, t.Elem(), at); err != nil {
			return err
		}
	}
	err := json.Unmarshal(raw, v)
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		field := te.Field
		switch {
		case at != "" && field != "":
			field = at + "." + field
		case at != "":
			field = at
		case field == "":
			field = "value"
		}
		want := friendly(te.Type)
		if want == "a number" && strings.HasPrefix(te.Value, "number ") {
			want = "a number within ±1.8e308 (a float64)" // a number, but out of range
		}
		return fmt.Errorf("%s: got %s, want %s", field, te.Value, want)
	}
	return err
}

// friendly names a Go type in JSON terms.
func friendly(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Pointer:
		return friendly(t.Elem())
	}
	return t.String()
}

// matrix checks that rows is a wantR×wantC matrix (a negative want accepts any positive size) and
// copies it into a contiguous *mat.Dense. name is the JSON location of rows.
func matrix(name string, rows [][]float64, wantR, wantC int) (*mat.Dense, error) {
	if rows == nil {
		return nil, fmt.Errorf("%s is missing", name)
	}
	r, c := len(rows), 0
	if r > 0 {
		c = len(rows[0])
	}
	for i, row := range rows {
		if len(row) != c {
			return nil, fmt.Errorf("%s[%d] has %d values, want %d like %s[0]", name, i, len(row), c, name)
		}
	}
	wr, wc := wantR, wantC
	if wr < 0 {
		wr = r
	}
	if wc < 0 {
		wc = c
	}
	if r != wr || c != wc {
		return nil, fmt.Errorf("%s is %d×%d, want %d×%d", name, r, c, wr, wc)
	}
	if r == 0 || c == 0 {
		return nil, fmt.Errorf("%s is %d×%d, want a non-empty matrix", name, r, c)
	}
	m := mat.NewDense(r, c, nil)
	for i, row := range rows {
		m.SetRow(i, row)
	}
	return m, nil
}

// vector checks that v has want values and returns a copy.
func vector(name string, v []float64, want int) ([]float64, error) {
	if v == nil {
		return nil, fmt.Errorf("%s is missing", name)
	}
	if len(v) != want {
		return nil, fmt.Errorf("%s has %d values, want %d", name, len(v), want)
	}
	return append([]float64(nil), v...), nil
}

// logScales checks that v has want values, each in [-MaxLogScale, MaxLogScale], and returns a
// copy.
func logScales(name string, v []float64, want int) ([]float64, error) {
	out, err := vector(name, v, want)
	if err != nil {
		return nil, err
	}
	for i, x := range out {
		if !(math.Abs(x) <= MaxLogScale) {
			return nil, fmt.Errorf("%s[%d] is %g, want a value in [-%d, %d] (modelfile.MaxLogScale)", name, i, x, MaxLogScale, MaxLogScale)
		}
	}
	return out, nil
}

// ints checks that v has want entries.
func ints(name string, v []int, want int) ([]int, error) {
	if v == nil {
		return nil, fmt.Errorf("%s is missing", name)
	}
	if len(v) != want {
		return nil, fmt.Errorf("%s has %d entries, want %d", name, len(v), want)
	}
	return append([]int(nil), v...), nil
}

// unitRange checks that every entry of m lies in [0, 1].
func unitRange(name string, m *mat.Dense) error {
	r, c := m.Dims()
	for i := range r {
		for j := range c {
			if v := m.At(i, j); !(v >= 0 && v <= 1) {
				return fmt.Errorf("%s[%d][%d] is %g, want a value in [0, 1]", name, i, j, v)
			}
		}
	}
	return nil
}

// rows converts a matrix into a list of rows.
func rows(m mat.Matrix) [][]float64 {
	r, c := m.Dims()
	out := make([][]float64, r)
	for i := range out {
		out[i] = make([]float64, c)
		for j := range out[i] {
			out[i][j] = m.At(i, j)
		}
	}
	return out
}

// activation parses a required "activation" field.
func activation(s *string) (layers.Activation, error) {
	if s == nil {
		return "", errors.New("activation is missing")
	}
	if *s == "" {
		return "", errors.New(`activation is "", want one of relu, tanh, elu, sigmoid, softplus, leaky_relu`)
	}
	a, err := layers.ParseActivation(*s)
	if err != nil {
		return "", fmt.Errorf("activation: %w", err)
	}
	return a, nil
}

// activationName is the file's name of a, "" meaning relu.
func activationName(a layers.Activation) (string, error) {
	p, err := layers.ParseActivation(string(a))
	return string(p), err
}

// scaleClamp parses a required "scale_clamp" field: C >= 0, 0 meaning no bound.
func scaleClamp(c *float64) (float64, error) {
	if c == nil {
		return 0, errors.New("scale_clamp is missing")
	}
	if !(*c >= 0) || math.IsInf(*c, 0) {
		return 0, fmt.Errorf("scale_clamp is %g, want a finite value >= 0 (0 means no bound)", *c)
	}
	return *c, nil
}

// clampOut is the file's C for a layer's Clamp (a layer treats C <= 0 as no bound).
func clampOut(c float64) float64 { return math.Max(c, 0) }
