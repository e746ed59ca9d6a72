package graph

import (
	"github.com/affineflow/flow/internal/parallel"
	"gonum.org/v1/gonum/mat"
)

// Span is a range [Lo, Hi) of a parameter's values (Param.Data, row-major).
type Span struct{ Lo, Hi int }

// Restrict records that in g only the entries of p where mask is nonzero can get a gradient: p is
// the W of a masked map h·(W ⊙ M) + b, whose gradient g ⊙ M is zero wherever M is. An optimizer
// may then skip the rest (Adam's moments and update there stay exactly zero). Every use of p in g
// must be through that mask (a graph inverse that runs the map several times restricts it again
// with the same mask, and only the first call scans it); the layers restrict the W of each masked map, which
// nothing else reads. Spans reads it back.
func (g *Graph) Restrict(p *Param, mask mat.Matrix) {
	if _, ok := g.support[p]; ok {
		return // the same mask again (a graph inverse's next pass)
	}
	r, c := mask.Dims()
	if s := p.Shape(); len(s) != 2 || s[0] != r || s[1] != c {
		panic("graph: Restrict with a mask of another shape")
	}
	var spans []Span
	for i := range r {
		for j := range c {
			if mask.At(i, j) == 0 {
				continue
			}
			k := i*c + j
			if n := len(spans); n > 0 && spans[n-1].Hi == k {
				spans[n-1].Hi++
			} else {
				spans = append(spans, Span{k, k + 1})
			}
		}
	}
	if spans == nil {
		spans = []Span{} // no entry can change
	}
	if g.support == nil {
		g.support = map[*Param][]Span{}
	}
	g.support[p] = spans
}

// Spans returns the ranges of p's values that can get a gradient in g: those Restrict recorded,
// or nil for all of them.
func (g *Graph) Spans(p *Param) []Span { return g.support[p] }

// CutSpans returns spans cut into pieces of at most parallel.Chunk values, in order: the units of
// work a parallel loop over spans hands out (a nil result for no spans).
func CutSpans(spans []Span) []Span {
	var ps []Span
	for _, sp := range spans {
		for lo := sp.Lo; lo < sp.Hi; lo += parallel.Chunk {
			ps = append(ps, Span{lo, min(lo+parallel.Chunk, sp.Hi)})
		}
	}
	return ps
}

// IsBinary reports whether every value of m is 0 or 1.
func IsBinary(m mat.Matrix) bool {
	r, c := m.Dims()
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			if v := m.At(i, j); v != 0 && v != 1 {
				return false
			}
		}
	}
	return true
}
