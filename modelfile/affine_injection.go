package modelfile

import (
	"encoding/json"
	"fmt"

	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/masks"
)

// affineJSON is an "affine_injection" layer: a MADE conditioner with 2D outputs (raw s, then t).
// Context is the number of context inputs appended to the net's input (absent: 0).
type affineJSON struct {
	Order      []int    `json:"order"`
	Activation *string  `json:"activation"`
	ScaleClamp *float64 `json:"scale_clamp"`
	Context    int      `json:"context,omitempty"`
	// Transform is absent for the affine map.
	Transform *transformJSON `json:"transform,omitempty"`
	Net       netJSON        `json:"net"`
}

func init() { registerLayer("affine_injection", encodeAffine, decodeAffine) }

func encodeAffine(l *layers.AffineInjection) (any, error) {
	act, err := activationName(l.Net.Act)
	if err != nil {
		return nil, err
	}
	net, err := encodeNet(&l.Net, true)
	if err != nil {
		return nil, err
	}
	c := clampOut(l.Clamp)
	return affineJSON{Order: append([]int(nil), l.Order...), Activation: &act, ScaleClamp: &c, Context: l.Context,
		Transform: encodeTransform(l.Elementwise), Net: net}, nil
}

func decodeAffine(raw json.RawMessage, dim int) (*layers.AffineInjection, error) {
	var v affineJSON
	if err := decodeInto(raw, &v, ""); err != nil {
		return nil, err
	}
	order, err := decodeOrder(v.Order, dim)
	if err != nil {
		return nil, err
	}
	act, err := activation(v.Activation)
	if err != nil {
		return nil, err
	}
	c, err := scaleClamp(v.ScaleClamp)
	if err != nil {
		return nil, err
	}
	if err := checkContext(v.Context); err != nil {
		return nil, err
	}
	tr, err := decodeTransform(v.Transform)
	if err != nil {
		return nil, err
	}
	ds, err := decodeNet(v.Net, dim+v.Context, tr.PerDim()*dim, true, "made")
	if err != nil {
		return nil, err
	}
	if err := masks.Check(layers.PathMasks(ds), order.WithContext(v.Context)); err != nil {
		which := fmt.Sprintf("outputs 0..%d are s, %d..%d are t", dim-1, dim, 2*dim-1)
		if tr.IsSpline() {
			which = fmt.Sprintf("output c belongs to dimension c mod %d", dim)
		}
		return nil, fmt.Errorf("net masks are not autoregressive in order (%s): %w", which, err)
	}
	l := &layers.AffineInjection{Order: order, Net: layers.Net{Layers: ds, Act: act}, Clamp: c, Context: v.Context, Elementwise: tr}
	if err := l.Validate(); err != nil {
		return nil, err
	}
	return l, nil
}

// decodeOrder checks that order holds dim valid degrees: a permutation of 1..D or block numbers.
func decodeOrder(order []int, dim int) (masks.Degrees, error) {
	o, err := ints("order", order, dim)
	if err != nil {
		return nil, err
	}
	d := masks.Degrees(o)
	if err := d.Validate(); err != nil {
		return nil, fmt.Errorf("order %v is not a permutation of 1..%d nor block numbers 1..K: %w", o, dim, err)
	}
	return d, nil
}

// checkContext checks a layer's "context" field, the number of context inputs.
func checkContext(c int) error {
	if c < 0 {
		return fmt.Errorf("context is %d, want >= 0", c)
	}
	if c > MaxDim {
		return fmt.Errorf("context is %d, %s", c, overLimit("modelfile.MaxDim", MaxDim))
	}
	return nil
}
