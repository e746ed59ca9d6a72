package modelfile

import (
	"encoding/json"
	"fmt"

	"github.com/affineflow/flow/layers"
)

// invertedJSON is an "inverted" layer (layers.Inverted, the IAF direction): the layer stored in
// "layer", used in the other direction. Its map (data → noise) is that layer's inverse, so
// log p(x) runs the inner layer's sequential inverse and sampling its one-pass forward.
type invertedJSON struct {
	Layer json.RawMessage `json:"layer"`
}

func init() { registerLayer("inverted", encodeInverted, decodeInverted) }

func encodeInverted(l *layers.Inverted) (any, error) {
	name, b, err := layerKinds.encode(l.L)
	if err != nil {
		return nil, fmt.Errorf("layer%s: %w", paren(name), err)
	}
	return invertedJSON{Layer: b}, nil
}

func decodeInverted(raw json.RawMessage, dim int) (*layers.Inverted, error) {
	var v invertedJSON
	if err := decodeInto(raw, &v, ""); err != nil {
		return nil, err
	}
	if v.Layer == nil {
		return nil, fmt.Errorf("missing \"layer\"")
	}
	inner, name, err := layerKinds.decode("layer", v.Layer, dim)
	if name == "inverted" {
		return nil, fmt.Errorf("layer: an inverted layer inside an inverted layer; store the layer itself")
	}
	if err != nil {
		return nil, err
	}
	l, err := layers.Invert(inner)
	if err != nil {
		return nil, fmt.Errorf("layer: %w", err)
	}
	return l, nil
}
