package masks

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"
)

// Soft returns a soft mask from free values and a 0/1 support (for example
// Dependency(in) or a mask from Between):
//
//	soft[i][j] = clamp(values[i][j], 0, 1) · 1{support[i][j] != 0}
//
// Entries outside the support are exactly 0 whatever the values, so a soft
// mask never loosens the autoregressive structure (CheckDependency accepts
// it when support is Dependency(in)). ±Inf clamp to 1 and 0. It returns an
// error if the shapes differ, or if a value on the support is NaN.
func Soft(values, support *mat.Dense) (*mat.Dense, error) {
	if values == nil || support == nil || values.IsEmpty() || support.IsEmpty() {
		return nil, fmt.Errorf("masks: empty soft mask operand")
	}
	r, c := values.Dims()
	sr, sc := support.Dims()
	if r != sr || c != sc {
		return nil, fmt.Errorf("masks: values are %d×%d but support is %d×%d", r, c, sr, sc)
	}
	s := mat.NewDense(r, c, nil)
	for i := range r {
		for j := range c {
			if support.At(i, j) == 0 {
				continue
			}
			v := values.At(i, j)
			if math.IsNaN(v) {
				return nil, fmt.Errorf("masks: value (%d, %d) is NaN", i, j)
			}
			s.Set(i, j, math.Min(1, math.Max(0, v)))
		}
	}
	return s, nil
}

// Harden thresholds a soft mask: entries >= thr become 1, all others
// (including NaN) become 0. With thr > 0, entries outside the support of a
// Soft mask stay 0.
func Harden(m *mat.Dense, thr float64) *mat.Dense {
	if m.IsEmpty() {
		return &mat.Dense{}
	}
	r, c := m.Dims()
	h := mat.NewDense(r, c, nil)
	for i := range r {
		for j := range c {
			if m.At(i, j) >= thr {
				h.Set(i, j, 1)
			}
		}
	}
	return h
}

// TopK hardens a soft mask row by row: in each row the k largest entries on
// the support (entries > 0) become 1, all others 0. Rows with at most k
// positive entries keep all of them; ties are broken towards the lower
// column index, so the result is deterministic. k <= 0 gives all zeros.
func TopK(m *mat.Dense, k int) *mat.Dense {
	if m.IsEmpty() {
		return &mat.Dense{}
	}
	r, c := m.Dims()
	h := mat.NewDense(r, c, nil)
	if k <= 0 {
		return h
	}
	idx := make([]int, 0, c)
	for i := range r {
		idx = idx[:0]
		for j := range c {
			if m.At(i, j) > 0 {
				idx = append(idx, j)
			}
		}
		sort.SliceStable(idx, func(a, b int) bool { return m.At(i, idx[a]) > m.At(i, idx[b]) })
		for _, j := range idx[:min(k, len(idx))] {
			h.Set(i, j, 1)
		}
	}
	return h
}
