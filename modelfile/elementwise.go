package modelfile

import (
	"encoding/json"

	"github.com/affineflow/flow/layers"
	"gonum.org/v1/gonum/mat"
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
	var l *layers.ElementwiseAffine
	if v.Frozen {
		l = layers.NewStandardize(make([]float64, dim), ones(dim))
	} else {
		// A loaded ActNorm is already initialized: the first InitFromData call is spent on a
		// dummy batch (one row leaves the scales alone) before the stored values are copied in,
		// so that training a reloaded model does not re-initialize it from data.
		l = layers.NewActNorm(dim)
		l.InitFromData(mat.NewDense(1, dim, nil))
	}
	copy(l.Shift.Data(), shift)
	copy(l.LogScale.Data(), ls)
	l.Shift.Touch()
	l.LogScale.Touch()
	return l, nil
}

func ones(n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = 1
	}
	return v
}
