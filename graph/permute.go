package graph

import (
	"fmt"

	"github.com/affineflow/flow/internal/parallel"
	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// PermuteCols returns a (r×c, or a vector of c values) with its columns reordered,
// out[:, j] = a[:, perm[j]], into a buffer kept across runs; perm is a permutation of 0..c−1.
// Its gradient is the same reordering backwards, ∂L/∂a[:, perm[j]] = ∂L/∂out[:, j]. A MADE of
// spline layers uses it to put each dimension's conditioner outputs side by side (Net.NodeCols),
// where the bands of its last map skip the masked half of the product.
func (g *Graph) PermuteCols(a *G.Node, perm []int) *G.Node {
	return G.Must(G.ApplyOp(newPermute(a, perm), a))
}

func newPermute(like *G.Node, perm []int) G.Op {
	base, vec := newOpBase("PermuteCols"), like.Dims() == 1
	if isFloat32(like) {
		return permuteOp[float32]{opBase: base, perm: perm, vec: vec, out: new(*tensor.Dense)}
	}
	return permuteOp[float64]{opBase: base, perm: perm, vec: vec, out: new(*tensor.Dense)}
}

// permuteOp is a[:, perm].
type permuteOp[T Float] struct {
	opBase
	perm []int
	vec  bool // a is a vector
	out  **tensor.Dense
}

// inverse returns the permutation q with q[perm[j]] = j.
func inverse(perm []int) []int {
	q := make([]int, len(perm))
	for j, p := range perm {
		q[p] = j
	}
	return q
}

func (permuteOp[T]) Arity() int { return 1 }
func (o permuteOp[T]) Type() hm.Type {
	if o.vec {
		return hm.NewFnType(vecType, vecType)
	}
	return hm.NewFnType(matType, matType)
}

func (o permuteOp[T]) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, ok := in[0].(tensor.Shape)
	if !ok || len(s) == 0 || s[len(s)-1] != len(o.perm) {
		return nil, fmt.Errorf("graph: PermuteCols of %d columns applied to %v", len(o.perm), in[0])
	}
	return s.Clone(), nil
}

func (o permuteOp[T]) Do(in ...G.Value) (G.Value, error) {
	c := len(o.perm)
	a, ok := in[0].Data().([]T)
	if !ok || len(a)%c != 0 {
		return nil, fmt.Errorf("graph: PermuteCols of %d columns applied to %v of %T", c, in[0].Shape(), in[0].Data())
	}
	r := len(a) / c
	out := buffer[T](o.out, r, c)
	if o.vec {
		out = buffer[T](o.out, c, -1)
	}
	od := data[T](out)
	eachRow(r, c, func(i int) {
		src, dst := a[i*c:(i+1)*c], od[i*c:(i+1)*c]
		for j, p := range o.perm {
			dst[j] = src[p]
		}
	})
	return out, nil
}

// eachRow calls f(i) for every row i of an r×c matrix, in pieces of about parallel.Chunk values
// on parallel goroutines.
func eachRow(r, c int, f func(i int)) {
	per := max(1, parallel.Chunk/c) // rows of one piece
	parallel.For((r+per-1)/per, func(k int) {
		for i := k * per; i < min(r, (k+1)*per); i++ {
			f(i)
		}
	})
}

func (permuteOp[T]) DiffWRT(int) []bool { return []bool{true} }

func (o permuteOp[T]) SymDiff(_ G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	back, err := G.ApplyOp(newPermute(grad, inverse(o.perm)), grad)
	return G.Nodes{back}, err
}
