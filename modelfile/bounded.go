package modelfile

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/affineflow/flow/layers"
)

// boundedJSON is a "bounded" layer: for every column j with bounded[j], u = (x − lo)/(hi − lo),
// y = log u − log(1 − u), log-det −log(hi − lo) − log u − log(1 − u); other columns pass through
// (their lo and hi are written as 0 and ignored).
type boundedJSON struct {
	Bounded []bool    `json:"bounded"`
	Lo      []float64 `json:"lo"`
	Hi      []float64 `json:"hi"`
}

func init() { registerLayer("bounded", encodeBounded, decodeBounded) }

func encodeBounded(l *layers.Bounded) (any, error) {
	d := l.Dim()
	v := boundedJSON{Bounded: make([]bool, d), Lo: make([]float64, d), Hi: make([]float64, d)}
	for j := range d {
		if l.Bounded(j) {
			v.Bounded[j], v.Lo[j], v.Hi[j] = true, l.Lo[j], l.Hi[j]
		}
	}
	return v, nil
}

func decodeBounded(raw json.RawMessage, dim int) (*layers.Bounded, error) {
	var v boundedJSON
	if err := decodeInto(raw, &v, ""); err != nil {
		return nil, err
	}
	if len(v.Bounded) != dim {
		return nil, fmt.Errorf("bounded has %d values, want %d", len(v.Bounded), dim)
	}
	lo, err := vector("lo", v.Lo, dim)
	if err != nil {
		return nil, err
	}
	hi, err := vector("hi", v.Hi, dim)
	if err != nil {
		return nil, err
	}
	for j, b := range v.Bounded {
		switch {
		case !b:
			lo[j], hi[j] = math.Inf(-1), math.Inf(1)
		case !(lo[j] < hi[j]) || math.IsInf(hi[j]-lo[j], 0):
			return nil, fmt.Errorf("lo[%d] = %g and hi[%d] = %g: want lo < hi, their difference finite", j, lo[j], j, hi[j])
		}
	}
	return layers.NewBounded(lo, hi)
}
