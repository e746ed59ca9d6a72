package recipe

import (
	"fmt"
	"math"

	"github.com/affineflow/flow/layers"
	"gonum.org/v1/gonum/mat"
)

// firstLayers returns the layers every candidate starts with: the bounds (Options.Bounds), then
// the standardization of the training rows as they leave the bounds layers. A training or
// validation value outside its bounds is an error naming its row and column. Each candidate gets
// its own copy (own).
func (o Options) firstLayers(train, val *mat.Dense, d int) ([]layers.Layer, error) {
	x := columns(train, d)
	var pre []layers.Layer
	if o.Bounds != nil {
		if len(o.Bounds) != d {
			return nil, fmt.Errorf("recipe: bounds for %d columns, the data have %d", len(o.Bounds), d)
		}
		lo2, hi2 := make([]float64, d), make([]float64, d) // two-sided columns; ±Inf elsewhere
		side, bound := make([]int, d), make([]float64, d)  // one-sided columns
		twoSided, oneSided := false, false
		for j, b := range o.Bounds {
			lo2[j], hi2[j] = math.Inf(-1), math.Inf(1)
			switch low, high := !math.IsInf(b[0], -1), !math.IsInf(b[1], 1); {
			case low && high:
				lo2[j], hi2[j], twoSided = b[0], b[1], true
			case low:
				side[j], bound[j], oneSided = 1, b[0], true
			case high:
				side[j], bound[j], oneSided = -1, b[1], true
			}
		}
		var maps []layers.Layer
		if twoSided {
			b, err := layers.NewBounded(lo2, hi2)
			if err != nil {
				return nil, fmt.Errorf("recipe: %w", err)
			}
			maps = append(maps, b)
		}
		if oneSided {
			h, err := layers.NewHalfBounded(side, bound)
			if err != nil {
				return nil, fmt.Errorf("recipe: %w", err)
			}
			maps = append(maps, h)
		}
		for _, s := range []struct {
			name string
			x    *mat.Dense
		}{{"training", train}, {"validation", val}} {
			if err := Outside(s.x, o.Bounds); err != nil {
				return nil, fmt.Errorf("recipe: %s %w", s.name, err)
			}
		}
		for _, m := range maps {
			pre = append(pre, m)
			x, _ = m.Transform(x)
		}
	}
	if !o.NoStandardize {
		pre = append(pre, layers.StandardizeFrom(x))
	}
	return pre, nil
}

// OutsideError is a value outside its column's bounds (Row and Col 0-based).
type OutsideError struct {
	Row, Col      int
	Value, Lo, Hi float64
}

func (e *OutsideError) Error() string {
	return fmt.Sprintf("row %d, column %d: %g is not inside its bounds (%g, %g)", e.Row+1, e.Col+1, e.Value, e.Lo, e.Hi)
}

// Outside returns the first value, row by row, of the first len(bounds) columns of x that does
// not lie strictly inside its column's bounds (an unbounded column, (−Inf, +Inf), takes every
// number; NaN is outside anything), as an *OutsideError; nil when there is none or x is nil.
func Outside(x *mat.Dense, bounds [][2]float64) error {
	if x == nil {
		return nil
	}
	n, _ := x.Dims()
	for r := range n {
		for j, b := range bounds {
			if v := x.At(r, j); !(v > b[0] && v < b[1]) && !(math.IsInf(b[0], -1) && math.IsInf(b[1], 1)) || math.IsNaN(v) {
				return &OutsideError{Row: r, Col: j, Value: v, Lo: b[0], Hi: b[1]}
			}
		}
	}
	return nil
}

// own returns a candidate's copy of the first layers: its own standardization (a frozen
// ElementwiseAffine of the same values); the bounds layers, which hold no state, are shared.
func own(pre []layers.Layer) []layers.Layer {
	out := make([]layers.Layer, len(pre))
	for k, l := range pre {
		out[k] = l
		if e, ok := l.(*layers.ElementwiseAffine); ok {
			out[k] = layers.NewElementwiseAffine(e.Shift.Data(), e.LogScale.Data(), e.Frozen)
		}
	}
	return out
}

// DetectBounds returns the supports -bounds auto gives the first d columns of x: (0, 1) for a
// column whose values all lie strictly inside it (shares, rates), (0, +Inf) for one whose values
// are all positive (amounts, durations), (−Inf, +Inf) otherwise; nil when no column is bounded.
func DetectBounds(x *mat.Dense, d int) [][2]float64 {
	n, _ := x.Dims()
	out := make([][2]float64, d)
	any := false
	for j := range d {
		lo, hi := math.Inf(1), math.Inf(-1)
		for r := range n {
			lo, hi = math.Min(lo, x.At(r, j)), math.Max(hi, x.At(r, j))
		}
		switch {
		case lo > 0 && hi < 1:
			out[j], any = [2]float64{0, 1}, true
		case lo > 0:
			out[j], any = [2]float64{0, math.Inf(1)}, true
		default:
			out[j] = [2]float64{math.Inf(-1), math.Inf(1)}
		}
	}
	if !any {
		return nil
	}
	return out
}
