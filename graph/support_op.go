package graph

import (
	"fmt"

	"github.com/affineflow/flow/internal/parallel"
	"github.com/chewxy/hm"
	"gonum.org/v1/gonum/mat"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// OnSpans returns a ⊙ 1_spans: the values of the matrix a in spans (ranges of its row-major
// values, Restrict's), zero elsewhere, into a buffer kept across runs. For a 0/1 mask M whose
// ones are spans it is W ⊙ M, with copies instead of products and without reading M (a MADE's
// masks are 0/1; W·1 = W): the masked weights of layers.Net's maps that have no gates. Its
// gradient is the incoming one on the same spans.
//
// When a is the node of a parameter whose support (Restrict) is spans and SyncSpans found or made
// its value a ⊙ 1_spans (a float32 or private copy, or a float64 parameter zero off its support),
// OnSpans returns that value as it is: no copy.
func (g *Graph) OnSpans(a *G.Node, spans []Span) *G.Node {
	return G.Must(G.ApplyOp(newSpanOp(a, spans, g.maskedValue(a, spans)), a))
}

// Binary is IsBinary(m), computed once per mask in g (a graph inverse builds a masked map once per
// pass, D passes for a MADE).
func (g *Graph) Binary(m *mat.Dense) bool {
	b, ok := g.binary[m]
	if !ok {
		if g.binary == nil {
			g.binary = map[*mat.Dense]bool{}
		}
		b = IsBinary(m)
		g.binary[m] = b
	}
	return b
}

// newSpanOp returns OnSpans' op for a node like like; masked as in spanOp.
func newSpanOp(like *G.Node, spans []Span, masked *bool) G.Op {
	ps := CutSpans(spans)
	base := newOpBase("OnSpans")
	if isFloat32(like) {
		return spanOp[float32]{opBase: base, pieces: ps, out: new(*tensor.Dense), masked: masked}
	}
	return spanOp[float64]{opBase: base, pieces: ps, out: new(*tensor.Dense), masked: masked}
}

// spanOp copies its operand's pieces into out, whose other values stay at the zeros it was
// allocated with; when *masked, the operand is zero outside them, and is the result.
type spanOp[T Float] struct {
	opBase
	pieces []Span
	out    **tensor.Dense
	masked *bool // nil: never
}

func (spanOp[T]) Arity() int    { return 1 }
func (spanOp[T]) Type() hm.Type { return hm.NewFnType(matType, matType) }

func (spanOp[T]) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	a, ok := in[0].(tensor.Shape)
	if !ok || len(a) != 2 {
		return nil, fmt.Errorf("graph: OnSpans of %v, want a matrix", in[0])
	}
	return a.Clone(), nil
}

// operand returns the values and shape of the matrix v, which the spans must lie in.
func (o spanOp[T]) operand(v G.Value) ([]T, int, int, error) {
	ad, r, c, err := matrixData[T](v, "OnSpans operand") // a constant: a built string would allocate every run
	if err != nil {
		return nil, 0, 0, err
	}
	if n := len(o.pieces); n > 0 && o.pieces[n-1].Hi > r*c {
		return nil, 0, 0, fmt.Errorf("graph: %s spans beyond its %d values", o.name, r*c)
	}
	return ad, r, c, nil
}

func (o spanOp[T]) Do(in ...G.Value) (G.Value, error) {
	ad, r, c, err := o.operand(in[0])
	if err != nil {
		return nil, err
	}
	if o.masked != nil && *o.masked {
		return in[0], nil
	}
	out := buffer[T](o.out, r, c)
	od := data[T](out)
	parallel.For(len(o.pieces), func(k int) {
		lo, hi := o.pieces[k].Lo, o.pieces[k].Hi
		copy(od[lo:hi], ad[lo:hi])
	})
	return out, nil
}

func (spanOp[T]) DiffWRT(int) []bool { return []bool{true} }

func (o spanOp[T]) SymDiff(_ G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	back, err := G.ApplyOp(spanGradOp[T]{spanOp[T]{opBase: newOpBase("OnSpansGrad"), pieces: o.pieces, out: new(*tensor.Dense)}}, grad)
	return G.Nodes{back}, err
}

// spanGradOp is OnSpans' gradient: the incoming gradient on the spans, zero elsewhere. It may
// overwrite its operand (OverwritesInput): when the machine gives it the operand's own register
// (the operand is read by nothing after it), it zeroes the values off the spans in place instead
// of copying the spans into a buffer of its own.
type spanGradOp[T Float] struct{ spanOp[T] }

func (spanGradOp[T]) ReturnsPtr() bool     { return true }
func (spanGradOp[T]) OverwritesInput() int { return 0 }

// UsePreallocDo is Do, in place when out is the operand.
func (o spanGradOp[T]) UsePreallocDo(out G.Value, in ...G.Value) (G.Value, error) {
	if out != in[0] {
		return o.Do(in...)
	}
	ad, r, c, err := o.operand(in[0])
	if err != nil {
		return nil, err
	}
	eachGap(o.pieces, r*c, func(lo, hi int) { clear(ad[lo:hi]) })
	return in[0], nil
}
