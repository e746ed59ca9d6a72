package trainer

import "math"

// adam is Adam (Kingma & Ba 2015) with decoupled weight decay, updating parameter slices in place.
type adam struct {
	Beta1, Beta2, Eps float64
	T                 int         // steps taken
	M, V              [][]float64 // first and second moments, one slice per parameter
}

func newAdam(sizes []int) *adam {
	a := &adam{Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}
	for _, n := range sizes {
		a.M = append(a.M, make([]float64, n))
		a.V = append(a.V, make([]float64, n))
	}
	return a
}

// step applies one update with learning rate lr and decay wd to params given grads:
//
//	m ← β₁m + (1-β₁)g,  v ← β₂v + (1-β₂)g²,  w ← w - lr·(m̂/(√v̂ + ε) + wd·w).
func (a *adam) step(params, grads [][]float64, lr, wd float64) {
	a.T++
	c1 := 1 - math.Pow(a.Beta1, float64(a.T))
	c2 := 1 - math.Pow(a.Beta2, float64(a.T))
	for k, w := range params {
		g, m, v := grads[k], a.M[k], a.V[k]
		for i := range w {
			m[i] = a.Beta1*m[i] + (1-a.Beta1)*g[i]
			v[i] = a.Beta2*v[i] + (1-a.Beta2)*g[i]*g[i]
			w[i] -= lr * ((m[i]/c1)/(math.Sqrt(v[i]/c2)+a.Eps) + wd*w[i])
		}
	}
}

// clip rescales grads to global L2 norm max when larger (max <= 0: no clipping) and returns the
// norm before clipping.
func clip(grads [][]float64, max float64) float64 {
	s := 0.0
	for _, g := range grads {
		for _, v := range g {
			s += v * v
		}
	}
	norm := math.Sqrt(s)
	if max > 0 && norm > max {
		f := max / norm
		for _, g := range grads {
			for i := range g {
				g[i] *= f
			}
		}
	}
	return norm
}
