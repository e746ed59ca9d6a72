package modelfile

import (
	"fmt"

	"github.com/affineflow/flow/layers"
)

// transformJSON is the optional "transform" of an affine_injection or injection layer: absent for
// the affine map, {"type": "rq_spline", "bins": K, "bound": B} for a rational-quadratic spline of
// K bins on [−B, B] with identity tails (its 3K − 1 values per dimension: see modelfile/doc.go).
type transformJSON struct {
	Type  string  `json:"type"`
	Bins  int     `json:"bins"`
	Bound float64 `json:"bound"`
}

// encodeTransform returns nil for the affine map.
func encodeTransform(t layers.Transform) *transformJSON {
	if !t.IsSpline() {
		return nil
	}
	return &transformJSON{Type: "rq_spline", Bins: t.Bins, Bound: t.BoundInEffect()}
}

// decodeTransform reads the optional field (nil: affine).
func decodeTransform(v *transformJSON) (layers.Transform, error) {
	if v == nil {
		return layers.Transform{}, nil
	}
	if v.Type != "rq_spline" {
		return layers.Transform{}, fmt.Errorf(`transform.type is %q, want "rq_spline" (omit the field for the affine map)`, v.Type)
	}
	if v.Bins < 2 || v.Bins > layers.MaxSplineBins {
		return layers.Transform{}, fmt.Errorf("transform.bins is %d, want 2 to %d (layers.MaxSplineBins)", v.Bins, layers.MaxSplineBins)
	}
	if !(v.Bound > 0 && v.Bound <= 1e6) {
		return layers.Transform{}, fmt.Errorf("transform.bound is %g, want a value in (0, 1e6]", v.Bound)
	}
	return layers.Spline(v.Bins, v.Bound), nil
}
