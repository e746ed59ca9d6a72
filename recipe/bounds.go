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
		lo, hi := make([]float64, d), make([]float64, d)
		lo2, hi2 := make([]float64, d), make([]float64, d) // two-sided columns; ±Inf elsewhere
		side, bound := make([]int, d), make([]float64, d)  // one-sided columns
		twoSided, oneSided := false, false
		for j, b := range o.Bounds {
			lo[j], hi[j] = b[0], b[1]
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
			if err := inside(s.x, lo, hi, s.name); err != nil {
				return nil, err
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

// inside checks that every value of the first len(lo) columns of x lies strictly inside its
// bounds; x may be nil.
func inside(x *mat.Dense, lo, hi []float64, what string) error {
	if x == nil {
		return nil
	}
	n, _ := x.Dims()
	for r := range n {
		for j := range lo {
			if v := x.At(r, j); !(v > lo[j] && v < hi[j]) && !(math.IsInf(lo[j], -1) && math.IsInf(hi[j], 1)) || math.IsNaN(v) {
				return fmt.Errorf("recipe: %s row %d, column %d: %g is not inside its bounds (%g, %g)", what, r+1, j+1, v, lo[j], hi[j])
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
