package trainer

import (
	"math"

	"github.com/affineflow/flow/graph"
	"github.com/affineflow/flow/internal/parallel"
)

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

// adamStep clips grads to norm clipMax (<= 0: no clipping) and applies one Adam step to params
// (zeroing grads); it returns the norm before clipping and takes no step when it is not finite.
func adamStep[G graph.Float](a *adam, params [][]float64, grads [][]G, clipMax, lr, wd float64) float64 {
	norm, f := clipFactor(grads, clipMax)
	if finite(norm) {
		step(a, params, grads, f, lr, wd)
	}
	return norm
}

// step applies one update with learning rate lr and decay wd to params given grads scaled by f
// (the clipping factor), and zeroes the gradients it read (gorgonia accumulates into them):
//
//	g ← f·g,  m ← β₁m + (1-β₁)g,  v ← β₂v + (1-β₂)g²,  w ← w - lr·(m̂/(√v̂ + ε) + wd·w).
//
// The update is elementwise, so it runs on chunks in parallel with the same result.
func step[G graph.Float](a *adam, params [][]float64, grads [][]G, f, lr, wd float64) {
	a.T++
	c1 := 1 - math.Pow(a.Beta1, float64(a.T))
	c2 := 1 - math.Pow(a.Beta2, float64(a.T))
	b1, b2, eps := a.Beta1, a.Beta2, a.Eps
	// lr·m̂/(√v̂ + ε) = (lr/c1)·m/(√(v/c2) + ε): one square root and one division per value
	// (each as slow as a dozen multiplications; three divisions made Adam ~20% of a float32 step)
	rate, ic2, decay := lr/c1, 1/c2, lr*wd
	chunks(grads, func(k, lo, hi int) {
		w, g, m, v := params[k][lo:hi], grads[k][lo:hi], a.M[k][lo:hi], a.V[k][lo:hi]
		g, m, v = g[:len(w)], m[:len(w)], v[:len(w)]
		for i := range w {
			gi := f * float64(g[i])
			g[i] = 0
			mi := b1*m[i] + (1-b1)*gi
			vi := b2*v[i] + (1-b2)*gi*gi
			m[i], v[i] = mi, vi
			w[i] -= rate*mi/(math.Sqrt(vi*ic2)+eps) + decay*w[i]
		}
	})
}

// clipFactor returns the global L2 norm of grads and the factor f that rescales them to norm max
// when larger (max <= 0: no clipping, f = 1). The sum runs on fixed chunks, added in chunk order,
// so the norm does not depend on GOMAXPROCS.
func clipFactor[G graph.Float](grads [][]G, max float64) (norm, f float64) {
	var parts []float64
	var idx []int // first part of each parameter
	for _, g := range grads {
		idx = append(idx, len(parts))
		parts = append(parts, make([]float64, (len(g)+parallel.Chunk-1)/parallel.Chunk)...)
	}
	chunks(grads, func(k, lo, hi int) {
		s := 0.0
		for _, v := range grads[k][lo:hi] {
			s += float64(v) * float64(v)
		}
		parts[idx[k]+lo/parallel.Chunk] = s
	})
	s := 0.0
	for _, p := range parts {
		s += p
	}
	norm = math.Sqrt(s)
	if max > 0 && norm > max {
		return norm, max / norm
	}
	return norm, 1
}

// chunks calls f(k, lo, hi) for the fixed chunks [lo, hi) of every slice k of xs, in parallel.
func chunks[G graph.Float](xs [][]G, f func(k, lo, hi int)) {
	lens := make([]int, len(xs))
	for k, x := range xs {
		lens[k] = len(x)
	}
	parallel.Slices(lens, f)
}
