package modelfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/graph"
	"github.com/affineflow/flow/layers"
)

// Format is the value of the top-level "format" field.
const Format = "affine-injection-flow/v1"

// Meta is free-form information stored under the top-level "meta" key: any JSON-encodable
// values, written with sorted keys. It never changes the density. Conventional keys:
//
//	"columns"  []string  names of the D data columns, in order
//	"context"  []string  names of conditioning columns, if any
//	"command"  string    the command line that trained the model
//	"seed"     number
//	"test_nll" number    mean negative log-likelihood on the test set, nats
//
// After Unmarshal, values are what encoding/json gives for an any: numbers are float64, arrays
// []any, objects map[string]any; Strings and Number read them back in either form.
type Meta map[string]any

// Strings returns the value of key as a list of strings, if it is one.
func (m Meta) Strings(key string) ([]string, bool) {
	switch v := m[key].(type) {
	case []string:
		return append([]string(nil), v...), true
	case []any:
		out := make([]string, len(v))
		for i, x := range v {
			s, ok := x.(string)
			if !ok {
				return nil, false
			}
			out[i] = s
		}
		return out, true
	}
	return nil, false
}

// Number returns the value of key as a float64, if it is a number (or one of the strings "NaN",
// "+Inf", "-Inf" that Marshal writes for non-finite numbers).
func (m Meta) Number(key string) (float64, bool) {
	switch v := m[key].(type) {
	case float64:
		return v, true
	case float32:
		return float64(v), true
	case int:
		return float64(v), true
	case int64:
		return float64(v), true
	case json.Number:
		f, err := v.Float64()
		return f, err == nil
	case string:
		return parseNonFinite(v)
	}
	return 0, false
}

// Marshal encodes f and meta (may be nil) as an affine-injection-flow/v1 file. The bytes are
// deterministic. It refuses (with an error naming the layer) any layer or base type the format
// cannot represent, non-finite parameters, and any model the reader would refuse, including one
// whose file would exceed a limit (MaxFileSize, MaxMetaBytes, ...).
func Marshal(f *distributions.Flow, meta Meta) ([]byte, error) {
	if f == nil || f.Base == nil {
		return nil, errors.New("modelfile: cannot write a flow without a base")
	}
	if err := f.Validate(); err != nil {
		return nil, fmt.Errorf("modelfile: %w", err)
	}
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "{\n  \"format\": %q,\n  \"dim\": %d,\n", Format, f.Dim())
	if meta != nil {
		b, err := json.Marshal(encodable(map[string]any(meta)))
		if err != nil {
			return nil, fmt.Errorf("modelfile: meta: %w", err)
		}
		fmt.Fprintf(&buf, "  \"meta\": %s,\n", b)
	}
	name, b, err := baseKinds.encode(f.Base)
	if err != nil {
		return nil, fmt.Errorf("modelfile: base%s: %w", paren(name), err)
	}
	fmt.Fprintf(&buf, "  \"base\": %s,\n  \"layers\": [", b)
	for k, l := range f.Layers {
		name, b, err := layerKinds.encode(l)
		if err != nil {
			return nil, fmt.Errorf("modelfile: layers[%d]%s: %w", k, paren(name), err)
		}
		sep := ","
		if k == len(f.Layers)-1 {
			sep = "\n  "
		}
		fmt.Fprintf(&buf, "\n    %s%s", b, sep)
	}
	buf.WriteString("]\n}\n")
	if int64(buf.Len()) > fileSizeLimit {
		return nil, fmt.Errorf("modelfile: the file would be %d bytes, %s", buf.Len(), overLimit("modelfile.MaxFileSize", fileSizeLimit))
	}
	if _, _, err := decode(buf.Bytes()); err != nil {
		return nil, fmt.Errorf("modelfile: refusing to write a model that would not load: %w", err)
	}
	return buf.Bytes(), nil
}

func paren(name string) string {
	if name == "" {
		return ""
	}
	return " (" + name + ")"
}

// Unmarshal decodes and validates an affine-injection-flow/v1 file. name (usually the file's
// path) prefixes every error, followed by the JSON location, e.g.
// "model.json: layers[2] (affine_injection): net[1].weight is 64×30, want 64×32".
// meta is nil when the file has none.
func Unmarshal(data []byte, name string) (*distributions.Flow, Meta, error) {
	f, meta, err := decode(data)
	if err != nil {
		if name == "" {
			name = "modelfile"
		}
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	return f, meta, nil
}

// decode is Unmarshal without the name prefix.
func decode(data []byte) (*distributions.Flow, Meta, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, nil, syntaxError(data, se)
		}
		return nil, nil, fmt.Errorf("not an %s file (the top level is %s, not an object)", Format, jsonKind(data))
	}
	if top == nil {
		return nil, nil, fmt.Errorf("not an %s file (the top level is null, not an object)", Format)
	}
	raw, ok := top["format"]
	if !ok {
		return nil, nil, fmt.Errorf("not an %s file (no \"format\" field)", Format)
	}
	var format string
	if err := json.Unmarshal(raw, &format); err != nil {
		return nil, nil, fmt.Errorf("not an %s file (format %s)", Format, raw)
	}
	if format != Format {
		return nil, nil, fmt.Errorf("not an %s file (format %q)", Format, format)
	}
	var dim int
	if raw, ok := top["dim"]; !ok {
		return nil, nil, errors.New("dim is missing")
	} else if err := json.Unmarshal(raw, &dim); err != nil || dim <= 0 {
		return nil, nil, fmt.Errorf("dim is %s, want a positive integer", raw)
	} else if dim > MaxDim {
		return nil, nil, fmt.Errorf("dim is %d, %s", dim, overLimit("modelfile.MaxDim", MaxDim))
	}
	var meta Meta
	if raw, ok := top["meta"]; ok {
		if len(raw) > MaxMetaBytes {
			return nil, nil, fmt.Errorf("meta is %d bytes of JSON, %s", len(raw), overLimit("modelfile.MaxMetaBytes", MaxMetaBytes))
		}
		if err := json.Unmarshal(raw, &meta); err != nil {
			if kind := jsonKind(raw); kind != "an object" {
				return nil, nil, fmt.Errorf("meta is %s, want an object", kind)
			}
			return nil, nil, fmt.Errorf("meta: %w", err) // e.g. a number out of float64's range
		}
	}
	raw, ok = top["base"]
	if !ok {
		return nil, nil, errors.New("base is missing")
	}
	base, baseName, err := baseKinds.decode("base", raw, dim)
	if err != nil {
		return nil, nil, err
	}
	raw, ok = top["layers"]
	if !ok {
		return nil, nil, errors.New("layers is missing (use [] for none)")
	}
	var objs []json.RawMessage
	if err := json.Unmarshal(raw, &objs); err != nil || objs == nil {
		return nil, nil, fmt.Errorf("layers is %s, want an array", jsonKind(raw))
	}
	if len(objs) > MaxLayers {
		return nil, nil, fmt.Errorf("layers has %d entries, %s", len(objs), overLimit("modelfile.MaxLayers", MaxLayers))
	}
	f := &distributions.Flow{Base: base, Layers: make([]layers.Layer, len(objs))}
	params := graph.CountParams(base.Params())
	names := make([]string, len(objs))
	for k, obj := range objs {
		where := fmt.Sprintf("layers[%d]", k)
		if f.Layers[k], names[k], err = layerKinds.decode(where, obj, dim); err != nil {
			return nil, nil, err
		}
		if params += graph.CountParams(f.Layers[k].Params()); params > paramLimit {
			return nil, nil, fmt.Errorf("%s (%s): the model has %d parameters up to this layer, %s",
				where, names[k], params, overLimit("distributions.MaxParams", int64(paramLimit)))
		}
	}
	if err := f.Validate(); err != nil {
		return nil, nil, err
	}
	if err := checkDensity(f, baseName, names); err != nil {
		return nil, nil, err
	}
	return f, meta, nil
}

// syntaxError reports a JSON syntax error with its line and column.
func syntaxError(data []byte, se *json.SyntaxError) error {
	off := int(se.Offset)
	if off > len(data) {
		off = len(data)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return errors.New("invalid JSON: the file is empty")
	}
	pos := max(off-1, 0) // the offending byte
	line := 1 + bytes.Count(data[:pos], []byte("\n"))
	col := pos - bytes.LastIndexByte(data[:pos], '\n')
	if off >= len(data) {
		return fmt.Errorf("invalid JSON: %v at line %d, column %d (byte %d of %d): the file is truncated or incomplete",
			se, line, col, off, len(data))
	}
	return fmt.Errorf("invalid JSON: %v at line %d, column %d (byte %d)", se, line, col, off)
}
