package modelfile

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/affineflow/flow/layers"
)

// halfBoundedJSON is a "half_bounded" layer: for every column j with side[j] = +1 or −1,
// z = side·(x − bound), y = log(e^z − 1), log-det −log(1 − e^{−z}); columns of side 0 pass
// through (their bound is written as 0 and ignored).
type halfBoundedJSON struct {
	Side  []int     `json:"side"`
	Bound []float64 `json:"bound"`
}

func init() { registerLayer("half_bounded", encodeHalfBounded, decodeHalfBounded) }

func encodeHalfBounded(l *layers.HalfBounded) (any, error) {
	v := halfBoundedJSON{Side: append([]int(nil), l.Side...), Bound: make([]float64, l.Dim())}
	for j, s := range l.Side {
		if s != 0 {
			v.Bound[j] = l.Bound[j]
		}
	}
	return v, nil
}

func decodeHalfBounded(raw json.RawMessage, dim int) (*layers.HalfBounded, error) {
	var v halfBoundedJSON
	if err := decodeInto(raw, &v, ""); err != nil {
		return nil, err
	}
	side, err := ints("side", v.Side, dim)
	if err != nil {
		return nil, err
	}
	bound, err := vector("bound", v.Bound, dim)
	if err != nil {
		return nil, err
	}
	for j, s := range side {
		if s < -1 || s > 1 || math.IsInf(bound[j], 0) || math.IsNaN(bound[j]) {
			return nil, fmt.Errorf("side[%d] = %d, bound[%d] = %g: want a side of -1, 0 or 1 and a finite bound", j, s, j, bound[j])
		}
	}
	return layers.NewHalfBounded(side, bound)
}
