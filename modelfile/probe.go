package modelfile

import (
	"fmt"
	"math"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/layers"
	"gonum.org/v1/gonum/mat"
)

// probeNames describes the rows of probeRows, for messages.
var probeNames = []string{"x = 0", "x_j = sin(j+1)", "x_j = 2·cos(2.3·j)"}

// probeRows returns the rows at which the loader evaluates a model's density: the zero row and
// two deterministic rows of moderate size (entries in [-2, 2]), x_j = sin(j+1) and
// x_j = 2·cos(2.3·j), j = 0..D-1 (for a flow with bounded columns, mapped into their support:
// intoSupport).
func probeRows(d int) *mat.Dense {
	x := mat.NewDense(len(probeNames), d, nil)
	for j := range d {
		x.Set(1, j, math.Sin(float64(j)+1))
		x.Set(2, j, 2*math.Cos(2.3*float64(j)))
	}
	return x
}

// checkDensity refuses a flow whose log-density (Flow.LogProbs, with a zero context for a
// conditional flow) is NaN, +Inf or -Inf at any of probeRows. Far from the data a density may
// underflow to 0 (log p = -Inf) legitimately, but the probe rows are moderate: any non-finite
// value there means that a parameter is out of range. The error names the first layer whose
// output or log-det is not finite, or the layer after which the base's log p is not finite.
// It costs one evaluation of three rows. base and names are the types of the base and layers.
func checkDensity(f *distributions.Flow, base string, names []string) error {
	x := intoSupport(f, probeRows(f.Dim()))
	for r, v := range f.LogProbs(x) {
		if !finite(v) {
			return fmt.Errorf("the density is not finite at %s (log p = %v): a parameter is out of range (%s)",
				probeNames[r], v, culprit(f, x.Slice(r, r+1, 0, f.Dim()).(*mat.Dense), base, names))
		}
	}
	return nil
}

// intoSupport maps probe rows into the support of a flow that starts with bounds layers
// (layers.Bounded, layers.HalfBounded), through their inverses, so that the probe does not ask
// for the density where it is 0 by design; other flows' rows are returned as they are.
func intoSupport(f *distributions.Flow, x *mat.Dense) *mat.Dense {
	k := 0
	for k < len(f.Layers) {
		switch f.Layers[k].(type) {
		case *layers.Bounded, *layers.HalfBounded:
			k++
			continue
		}
		break
	}
	for i := k - 1; i >= 0; i-- {
		x, _ = f.Layers[i].Inverse(x)
	}
	return x
}

// culprit follows one row through the layers and names where the log-density stops being
// finite.
func culprit(f *distributions.Flow, y *mat.Dense, base string, names []string) string {
	lp := f.Base.LogProbs(y)[0]
	from, big := -1, 0.0 // the base's log p is not finite from the output of layers[from] on (-1: the input)
	for k, l := range f.Layers {
		out, ld := layers.TransformContext(l, y, nil)
		if v, ok := firstNonFinite(out.RawMatrix().Data); !ok {
			return fmt.Sprintf("layers[%d] (%s) gives %v in its output", k, names[k], v)
		}
		if !finite(ld[0]) {
			return fmt.Sprintf("layers[%d] (%s) gives a log-det of %v", k, names[k], ld[0])
		}
		y = out
		next := f.Base.LogProbs(y)[0]
		if finite(lp) && !finite(next) {
			from, big = k, mat.Norm(y, math.Inf(1))
		}
		lp = next
	}
	switch {
	case finite(lp):
		return "the log-dets and the base's log p overflow when summed"
	case from < 0:
		return fmt.Sprintf("the base (%s) gives log p = %v at the last layer's output (largest |y_j| = %.3g)",
			base, lp, mat.Norm(y, math.Inf(1)))
	}
	return fmt.Sprintf("after layers[%d] (%s) the values reach |y_j| = %.3g, where the base (%s) gives log p = %v",
		from, names[from], big, base, lp)
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// firstNonFinite returns the first NaN or ±Inf in v and false, or 0 and true.
func firstNonFinite(v []float64) (float64, bool) {
	for _, x := range v {
		if !finite(x) {
			return x, false
		}
	}
	return 0, true
}
