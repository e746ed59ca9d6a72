package trainer

import (
	"math"

	"github.com/affineflow/flow/graph"
	"github.com/affineflow/flow/internal/parallel"
	"github.com/affineflow/flow/internal/vmath"
)

// adam is Adam (Kingma & Ba 2015) with decoupled weight decay, updating parameter slices in place.
type adam struct {
	Beta1, Beta2, Eps float64
	T                 int         // steps taken
	M, V              [][]float64 // first and second moments, one slice per parameter

	// out, when set, holds a float32 copy to write beside each parameter (nil: none), in the same
	// pass as the step (vmath.AdamStepTo32): the copy a float32 graph runs on (graph.Graph.Copy32).
	// Only steps with float32 gradients write it.
	out [][]float32

	pieces []piece   // the values a step visits, in chunks (all of them unless restricted)
	groups []int     // each's runs of pieces: groups[g] is the first piece of run g, then len(pieces)
	parts  []float64 // clipFactor's partial sums, one per piece
}

// minGroup is the fewest values a goroutine takes at once in each: a MADE's support is one span
// per row of each weight matrix, a few dozen values at D=8, and handing them out one at a time
// cost an atomic operation and a call each (3% of a D=8 step on two shards).
const minGroup = 4096

// piece is the values [lo, hi) of parameter k.
type piece struct{ k, lo, hi int }

// restrict makes the steps visit only the spans of each parameter (spans[k] nil: all of it; see
// graph.Graph.Restrict): the values outside have zero gradients by construction, so their moments
// and updates stay zero and skipping them changes nothing, but the memory traffic of a step (Adam
// reads and writes four values per weight) shrinks by the share a mask keeps at zero, about 40% of
// a MADE's weights. With weight decay, the skipped weights are not decayed either: they have no
// effect on the model.
func (a *adam) restrict(spans [][]graph.Span) {
	a.pieces = make([]piece, 0, len(a.M))
	for k, m := range a.M {
		ss := spans[k]
		if ss == nil {
			ss = []graph.Span{{Lo: 0, Hi: len(m)}}
		}
		for _, s := range graph.CutSpans(ss) {
			a.pieces = append(a.pieces, piece{k, s.Lo, s.Hi})
		}
	}
	a.groups = a.groups[:0]
	size := minGroup
	for i, p := range a.pieces {
		if size >= minGroup {
			a.groups, size = append(a.groups, i), 0
		}
		size += p.hi - p.lo
	}
	a.groups = append(a.groups, len(a.pieces))
}

func newAdam(sizes []int) *adam {
	a := &adam{Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}
	for _, n := range sizes {
		a.M = append(a.M, make([]float64, n))
		a.V = append(a.V, make([]float64, n))
	}
	a.restrict(make([][]graph.Span, len(sizes))) // every value
	return a
}

// adamStep clips grads to norm clipMax (<= 0: no clipping) and applies one Adam step to params
// (grads are read only); it returns the norm before clipping and takes no step when it is not finite.
func adamStep[G graph.Float](a *adam, params [][]float64, grads [][]G, clipMax, lr, wd float64) float64 {
	norm, f := clipFactor(a, grads, clipMax)
	if finite(norm) {
		step(a, params, grads, f, lr, wd)
	}
	return norm
}

// step applies one update with learning rate lr and decay wd to params given grads scaled by f
// (the clipping factor):
//
//	g ← f·g,  m ← β₁m + (1-β₁)g,  v ← β₂v + (1-β₂)g²,  w ← w - lr·(m̂/(√v̂ + ε) + wd·w).
//
// The update is elementwise, so it runs on chunks in parallel with the same result.
func step[G graph.Float](a *adam, params [][]float64, grads [][]G, f, lr, wd float64) {
	a.T++
	c1 := 1 - math.Pow(a.Beta1, float64(a.T))
	c2 := 1 - math.Pow(a.Beta2, float64(a.T))
	// lr·m̂/(√v̂ + ε) = (lr/c1)·m/(√(v/c2) + ε): one square root and one division per value
	// (each as slow as a dozen multiplications; three divisions made Adam ~20% of a float32 step),
	// four values at a time (vmath.AdamStep, the bits of the scalar loop)
	c := vmath.Adam{F: f, B1: a.Beta1, B2: a.Beta2, IC2: 1 / c2, Rate: lr / c1, Eps: a.Eps, Decay: lr * wd}
	g32, _ := any(grads).([][]float32)
	a.each(func(_ int, p piece) {
		k, lo, hi := p.k, p.lo, p.hi
		if g32 != nil && k < len(a.out) && a.out[k] != nil {
			vmath.AdamStepTo32(params[k][lo:hi], g32[k][lo:hi], a.M[k][lo:hi], a.V[k][lo:hi], a.out[k][lo:hi], c)
			return
		}
		vmath.AdamStep(params[k][lo:hi], grads[k][lo:hi], a.M[k][lo:hi], a.V[k][lo:hi], c)
	})
}

// clipFactor returns the global L2 norm of grads (over a's pieces: the values outside them are
// zero) and the factor f that rescales them to norm max when larger (max <= 0: no clipping,
// f = 1). The sums run on the pieces (vmath.SumSquares, in an order of its own), added in the
// pieces' order, so the norm does not depend on GOMAXPROCS or the CPU.
func clipFactor[G graph.Float](a *adam, grads [][]G, max float64) (norm, f float64) {
	if cap(a.parts) < len(a.pieces) {
		a.parts = make([]float64, len(a.pieces))
	}
	parts := a.parts[:len(a.pieces)]
	a.each(func(i int, p piece) { parts[i] = vmath.SumSquares(grads[p.k][p.lo:p.hi]) })
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

// each calls f(i, piece i) for every piece, in parallel, runs of pieces of at least minGroup
// values at a time.
func (a *adam) each(f func(i int, p piece)) {
	parallel.For(len(a.groups)-1, func(g int) {
		for i := a.groups[g]; i < a.groups[g+1]; i++ {
			f(i, a.pieces[i])
		}
	})
}
