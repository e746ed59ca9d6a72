package masks

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Check verifies that a chain of masks (each fan-in × fan-out, used as h·W)
// is strictly autoregressive for the input degrees in.
//
// The chain must be non-empty, its shapes must agree, its entries must be
// finite and non-negative, the first mask must have len(in) rows and the
// last reps·D columns for some reps >= 1, D = len(in.Data()). Output column
// c belongs to the c mod D-th data input (context inputs, degree 0, have no
// outputs). With C = Connectivity(masks), Check requires
//
//	C[j][c] = 1  ⇒  in[j] < deg(c)
//
// (MADE's autoregressive property, Germain et al. 2015). The error names the
// first violation, scanning outputs then inputs, e.g.
// "masks: output 3 (degree 2) sees input 5 (degree 4)".
func Check(masks []*mat.Dense, in Degrees) error {
	conn, outDeg, err := connectivityFor(masks, in)
	if err != nil {
		return err
	}
	for c, dc := range outDeg {
		for j, dj := range in {
			if conn.At(j, c) > 0 && dj >= dc {
				return fmt.Errorf("masks: output %d (degree %d) sees input %d (degree %d)", c, dc, j, dj)
			}
		}
	}
	return nil
}

// CheckMaximal verifies Check and, in addition, that the connectivity is
// maximal: every allowed path exists, C = Allowed(in, reps). A deterministic
// MADE (Hidden with rng nil) with every hidden width >= K-1 is maximal. The
// error names the first missing dependency, e.g.
// "masks: output 2 (degree 3) does not see input 0 (degree 1)".
func CheckMaximal(masks []*mat.Dense, in Degrees) error {
	if err := Check(masks, in); err != nil {
		return err
	}
	conn, outDeg, _ := connectivityFor(masks, in)
	for c, dc := range outDeg {
		for j, dj := range in {
			if dj < dc && conn.At(j, c) == 0 {
				return fmt.Errorf("masks: output %d (degree %d) does not see input %d (degree %d)", c, dc, j, dj)
			}
		}
	}
	return nil
}

// connectivityFor validates masks against in and returns their connectivity
// and the degree of every output column.
func connectivityFor(masks []*mat.Dense, in Degrees) (*mat.Dense, Degrees, error) {
	if err := checkChain(masks); err != nil {
		return nil, nil, err
	}
	for l, m := range masks {
		r, c := m.Dims()
		for i := range r {
			for j := range c {
				if v := m.At(i, j); math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
					return nil, nil, fmt.Errorf("masks: mask %d entry (%d, %d) = %g is not finite and non-negative", l, i, j, v)
				}
			}
		}
	}
	for j, v := range in {
		if v < 0 {
			return nil, nil, fmt.Errorf("masks: negative degree %d at input %d", v, j)
		}
	}
	data := in.Data()
	if len(data) == 0 {
		return nil, nil, fmt.Errorf("masks: no data inputs (all %d degrees are 0)", len(in))
	}
	rows, _ := masks[0].Dims()
	if rows != len(in) {
		return nil, nil, fmt.Errorf("masks: first mask has %d rows, want %d inputs", rows, len(in))
	}
	_, cols := masks[len(masks)-1].Dims()
	if cols%len(data) != 0 {
		return nil, nil, fmt.Errorf("masks: last mask has %d columns, not a multiple of D = %d", cols, len(data))
	}
	return Connectivity(masks), Repeat(data, cols/len(data)), nil
}

// CheckDependency verifies that a D × D dependency matrix m (Jacobian
// convention: row i = output i, column j = input j), hard or soft, is
// compatible with the degrees in, D = len(in): every entry is finite and in
// [0, 1], and every entry outside the support of Dependency(in) is exactly
// 0. The error names the row and column of the first offending entry.
func CheckDependency(m *mat.Dense, in Degrees) error {
	if m == nil || m.IsEmpty() {
		if len(in) == 0 {
			return nil
		}
		return fmt.Errorf("masks: empty dependency matrix for %d inputs", len(in))
	}
	r, c := m.Dims()
	if r != len(in) || c != len(in) {
		return fmt.Errorf("masks: dependency matrix is %d×%d, want %d×%d", r, c, len(in), len(in))
	}
	for i := range r {
		for j := range c {
			v := m.At(i, j)
			if math.IsNaN(v) || v < 0 || v > 1 {
				return fmt.Errorf("masks: entry (row %d, column %d) = %g is not in [0, 1]", i, j, v)
			}
			if v != 0 && in[j] >= in[i] {
				return fmt.Errorf("masks: entry (row %d, column %d) = %g but output %d (degree %d) may not depend on input %d (degree %d)", i, j, v, i, in[i], j, in[j])
			}
		}
	}
	return nil
}
