package masks

import "gonum.org/v1/gonum/mat"

// Support returns the 0/1 pattern of m: a new matrix with 1 where m is not zero, 0 elsewhere
// (the connectivity of a soft mask, or of a product of masks).
func Support(m mat.Matrix) *mat.Dense {
	r, c := m.Dims()
	s := mat.NewDense(r, c, nil)
	for i := range r {
		for j := range c {
			if m.At(i, j) != 0 {
				s.Set(i, j, 1)
			}
		}
	}
	return s
}
