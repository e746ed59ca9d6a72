package masks

import "gonum.org/v1/gonum/mat"

// Banded returns the D×D banded mask of an order (Jacobian convention, row i = output i): each
// dimension sees only the w dimensions just before it in the order,
//
//	M[i][j] = 1  iff  0 < deg(i) − deg(j) ≤ w,
//
// a band below the diagonal of the strictly lower-triangular mask once rows and columns follow the
// order (a finite-memory, Markov-like conditioner). w >= D−1 gives the full mask, Dependency(order).
func Banded(order Degrees, w int) *mat.Dense {
	d := len(order)
	m := mat.NewDense(d, d, nil)
	for i := range d {
		for j := range d {
			if gap := order[i] - order[j]; gap > 0 && gap <= w {
				m.Set(i, j, 1)
			}
		}
	}
	return m
}
