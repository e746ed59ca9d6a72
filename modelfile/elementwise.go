package modelfile

import (
	"encoding/json"

	"github.com/affineflow/flow/layers"
)

// elementwiseJSON is an "elementwise_affine" layer: y = (x - shift) ⊙ exp(log_scale). Frozen is
// this package's extension: true for a fixed standardizer, false (or absent) for ActNorm.
type elementwiseJSON struct {
	Shift    []float64 `json:"shift"`
	LogScale []float64 `json:"log_scale"`
	Frozen   bool      `json:"frozen"`
}

func init() { registerLayer("elementwise_affine", encodeElementwise, decodeElementwise) }

func encodeElementwise(l *layers.ElementwiseAffine) (any, error) {
	return elementwiseJSON{
		Shift:    append([]float64(nil), l.Shift.Data()...),
		LogScale: append([]float64(nil), l.LogScale.Data()...),
		Frozen:   l.Frozen,
	}, nil
}

func decodeElementwise(raw json.RawMessage, dim int) (*layers.ElementwiseAffine, error) {
	var v elementwiseJSON
	if err := decodeInto(raw, &v, ""); err != nil {
		return nil, err
	}
	shift, err := vector("shift", v.Shift, dim)
	if err != nil {
		return nil, err
	}
	ls, err := logScales("log_scale", v.LogScale, dim)
	if err != nil {
		return nil, err
	}
	return layers.NewElementwiseAffine(shift, ls, v.Frozen), nil
}
