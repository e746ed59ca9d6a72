package graph

import (
	"fmt"

	"github.com/affineflow/flow/internal/parallel"
	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Hadamard returns a ⊙ b for two matrices of one shape, into a buffer kept across runs: the W ⊙ M
// node of a masked map (M a constant 0/1 mask, or a soft or gated mask node). Its gradients are
// ∂L/∂a = g ⊙ b and ∂L/∂b = g ⊙ a, each formed only when that operand is not a constant or data
// input of g, so a constant mask costs no backward work.
func (g *Graph) Hadamard(a, b *G.Node) *G.Node { return g.HadamardCols(a, b, nil) }

// HadamardCols is Hadamard with the product's columns in the order perm (as PermuteCols; nil: as
// they are), (a ⊙ b)[:, perm], in one pass: the reordered W ⊙ M of Net.NodeCols.
func (g *Graph) HadamardCols(a, b *G.Node, perm []int) *G.Node {
	return G.Must(G.ApplyOp(newHadamard(a, !g.noGrad[a], !g.noGrad[b], perm, true, nil), a, b))
}

// HadamardSpans is Hadamard for a b that is zero outside spans (ranges of the row-major values,
// Restrict's: a mask's support, and a soft or gated mask on it): the product and ∂L/∂a = g ⊙ b are
// formed only on the spans, the rest of their buffers staying zero (a MADE's masks keep about
// 40% of the weights at zero). ∂L/∂b = g ⊙ a is formed whole.
func (g *Graph) HadamardSpans(a, b *G.Node, spans []Span) *G.Node {
	return G.Must(G.ApplyOp(newHadamard(a, !g.noGrad[a], !g.noGrad[b], nil, true, spans), a, b))
}

func newHadamard(like *G.Node, gradA, gradB bool, perm []int, permB bool, spans []Span) G.Op {
	base, grad := newOpBase("Hadamard"), [2]bool{gradA, gradB}
	ps := CutSpans(spans)
	if spans != nil && ps == nil {
		ps = []Span{}
	}
	if isFloat32(like) {
		return hadamardOp[float32]{opBase: base, grad: grad, perm: perm, permB: permB, pieces: ps, out: new(*tensor.Dense)}
	}
	return hadamardOp[float64]{opBase: base, grad: grad, perm: perm, permB: permB, pieces: ps, out: new(*tensor.Dense)}
}

// hadamardOp is out[:, j] = a[:, perm[j]] · b[:, perm[j]], or with !permB a[:, perm[j]] · b[:, j]
// (a nil perm: j); grad says which operands get a gradient. The product node reorders both
// operands (or neither); its gradient nodes reorder only the incoming gradient, backwards.
type hadamardOp[T Float] struct {
	opBase
	grad  [2]bool
	perm  []int
	permB bool // b is reordered too
	// pieces, when not nil, are the ranges of values formed (HadamardSpans; no perm): the rest of
	// out stays at the zeros it was allocated with
	pieces []Span
	out    **tensor.Dense
}

func (hadamardOp[T]) Arity() int    { return 2 }
func (hadamardOp[T]) Type() hm.Type { return hm.NewFnType(matType, matType, matType) }

func (hadamardOp[T]) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	a, b, err := twoShapes(in)
	if err != nil {
		return nil, err
	}
	if !a.Eq(b) {
		return nil, fmt.Errorf("graph: Hadamard product of %v and %v", a, b)
	}
	return a, nil
}

func (o hadamardOp[T]) Do(in ...G.Value) (G.Value, error) {
	ad, r, c, err := matrixData[T](in[0], "Hadamard operand")
	if err != nil {
		return nil, err
	}
	bd, err := vectorData[T](in[1], r*c, "Hadamard operand")
	if err != nil {
		return nil, err
	}
	out := buffer[T](o.out, r, c)
	od := data[T](out)
	if o.pieces != nil {
		if n := len(o.pieces); n > 0 && o.pieces[n-1].Hi > len(od) {
			return nil, fmt.Errorf("graph: %s spans beyond its %d values", o.name, len(od))
		}
		parallel.For(len(o.pieces), func(k int) {
			lo, hi := o.pieces[k].Lo, o.pieces[k].Hi
			b := bd[lo:hi]
			for i, v := range ad[lo:hi] {
				od[lo+i] = v * b[i]
			}
		})
		return out, nil
	}
	if o.perm == nil {
		parallel.Slices([]int{len(od)}, func(_, lo, hi int) {
			b := bd[lo:hi]
			for i, v := range ad[lo:hi] {
				od[lo+i] = v * b[i]
			}
		})
		return out, nil
	}
	eachRow(r, c, func(i int) {
		a, b, dst := ad[i*c:(i+1)*c], bd[i*c:(i+1)*c], od[i*c:(i+1)*c]
		if o.permB {
			for j, p := range o.perm {
				dst[j] = a[p] * b[p]
			}
			return
		}
		for j, p := range o.perm {
			dst[j] = a[p] * b[j]
		}
	})
	return out, nil
}

func (o hadamardOp[T]) DiffWRT(int) []bool { return o.grad[:] }

func (o hadamardOp[T]) SymDiff(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	var back []int // ∂L/∂a[:, perm[j]] = ∂L/∂out[:, j] · b[:, perm[j]]: the gradient reordered back
	if o.perm != nil {
		if !o.permB {
			return nil, fmt.Errorf("graph: %s reordering one operand is not differentiable", o.name)
		}
		back = inverse(o.perm)
	}
	gs := make(G.Nodes, 2)
	for i, need := range o.grad {
		if !need {
			continue
		}
		var spans []Span // ∂L/∂a = g ⊙ b is zero where b is
		if i == 0 {
			spans = o.pieces
		}
		var err error
		if gs[i], err = G.ApplyOp(newHadamard(grad, false, false, back, false, spans), grad, in[1-i]); err != nil {
			return nil, err
		}
	}
	return gs, nil
}
