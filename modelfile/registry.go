package modelfile

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/layers"
)

// kind is one "type" of layer or base: an encoder that recognizes its Go values and a decoder
// that validates a JSON object and builds the value.
type kind[T any] struct {
	// encode returns the object's fields (a struct or map; "type" is added by the registry) and
	// ok = false when x is not of this kind.
	encode func(x T) (fields any, ok bool, err error)
	// decode builds a value of width dim from the whole JSON object (including "type"). Its
	// errors name the JSON location inside the object, e.g. "net[1].weight is 3×4, want 3×8".
	decode func(raw json.RawMessage, dim int) (T, error)
}

// registry maps "type" strings to kinds.
type registry[T any] struct {
	what  string // "layer" or "base", for messages
	kinds map[string]kind[T]
}

var (
	layerKinds = &registry[layers.Layer]{what: "layer", kinds: map[string]kind[layers.Layer]{}}
	baseKinds  = &registry[distributions.Base]{what: "base", kinds: map[string]kind[distributions.Base]{}}
)

func (r *registry[T]) add(name string, k kind[T]) {
	if _, dup := r.kinds[name]; dup {
		panic(fmt.Sprintf("modelfile: %s type %q registered twice", r.what, name))
	}
	r.kinds[name] = k
}

// registerLayer adds the layer kind name, whose Go type is L.
func registerLayer[L layers.Layer](name string, enc func(L) (any, error), dec func(json.RawMessage, int) (L, error)) {
	layerKinds.add(name, kind[layers.Layer]{
		encode: func(x layers.Layer) (any, bool, error) {
			l, ok := x.(L)
			if !ok {
				return nil, false, nil
			}
			v, err := enc(l)
			return v, true, err
		},
		decode: func(raw json.RawMessage, dim int) (layers.Layer, error) {
			l, err := dec(raw, dim)
			if err != nil {
				return nil, err
			}
			return l, nil
		},
	})
}

// names returns the registered type strings, sorted.
func (r *registry[T]) names() []string {
	ns := make([]string, 0, len(r.kinds))
	for n := range r.kinds {
		ns = append(ns, n)
	}
	sort.Strings(ns)
	return ns
}

// encode returns the compact JSON object of x, "type" first.
func (r *registry[T]) encode(x T) (name string, obj []byte, err error) {
	for _, n := range r.names() {
		fields, ok, err := r.kinds[n].encode(x)
		if !ok {
			continue
		}
		if err != nil {
			return n, nil, err
		}
		b, err := json.Marshal(fields)
		if err != nil {
			return n, nil, err
		}
		if len(b) < 2 || b[0] != '{' {
			return n, nil, fmt.Errorf("encoder returned %s, not a JSON object", b)
		}
		head, _ := json.Marshal(n)
		out := append([]byte(`{"type":`), head...)
		if !bytes.Equal(b, []byte("{}")) {
			out = append(out, ',')
		}
		return n, append(out, b[1:]...), nil
	}
	return "", nil, fmt.Errorf("cannot encode %s type %T: the format has no such %s (known: %s)",
		r.what, x, r.what, strings.Join(r.names(), ", "))
}

// decode reads the "type" of a JSON object and runs its decoder; it returns the value and its
// type. where is the object's location ("base", "layers[2]"); errors are prefixed with it and the
// type, e.g. "layers[2] (linear): ".
func (r *registry[T]) decode(where string, raw json.RawMessage, dim int) (T, string, error) {
	var zero T
	var head map[string]notArray // the keys, without a copy of the weights
	if err := json.Unmarshal(raw, &head); err != nil || head == nil {
		return zero, "", fmt.Errorf("%s: want an object, got %s", where, jsonKind(raw))
	}
	t, ok := head["type"]
	if !ok {
		return zero, "", fmt.Errorf("%s: missing \"type\" (known: %s)", where, strings.Join(r.names(), ", "))
	}
	var name string
	if t == nil {
		return zero, "", fmt.Errorf("%s: \"type\" is an array, want a string", where)
	}
	if err := json.Unmarshal(t, &name); err != nil {
		return zero, "", fmt.Errorf("%s: \"type\" is %s, want a string", where, t)
	}
	k, ok := r.kinds[name]
	if !ok {
		return zero, "", fmt.Errorf("%s: unknown %s type %q (known: %s)", where, r.what, name, strings.Join(r.names(), ", "))
	}
	x, err := k.decode(raw, dim)
	if err != nil {
		return zero, name, fmt.Errorf("%s (%s): %w", where, name, err)
	}
	return x, name, nil
}

// jsonKind names the kind of a JSON value for messages: "an array", "a string", ...
func jsonKind(raw []byte) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}
