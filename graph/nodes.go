package graph

import (
	"math"

	"github.com/affineflow/flow/internal/vmath"
	"gorgonia.org/tensor"

	G "gorgonia.org/gorgonia"
)

// MaskedDense returns h·(W ⊙ M) + b for h (N×in), W and M (in×out) and b (out): the masked linear
// map of MADE (Germain et al. 2015). M is a constant 0/1 (or soft) node; masked entries of W get
// exactly zero gradient. With M nil it is the plain dense map h·W + b.
func MaskedDense(h, w, m, b *G.Node) *G.Node {
	if m != nil {
		w = G.Must(G.HadamardProd(w, m))
	}
	out := G.Must(G.Mul(h, w))
	if b == nil {
		return out
	}
	return G.Must(G.BroadcastAdd(out, b, nil, []byte{0}))
}

// AddRow returns a + v broadcast over the rows of a (a: N×D, v: D).
func AddRow(a, v *G.Node) *G.Node { return G.Must(G.BroadcastAdd(a, v, nil, []byte{0})) }

// SubRow returns a - v broadcast over the rows of a (a: N×D, v: D).
func SubRow(a, v *G.Node) *G.Node { return G.Must(G.BroadcastSub(a, v, nil, []byte{0})) }

// MulRow returns a ⊙ v broadcast over the rows of a (a: N×D, v: D).
func MulRow(a, v *G.Node) *G.Node { return G.Must(G.BroadcastHadamardProd(a, v, nil, []byte{0})) }

// RowSum returns the per-row sum of an N×D node: a vector of length N.
func RowSum(a *G.Node) *G.Node { return G.Must(G.Sum(a, 1)) }

// Fill returns a length-n vector node whose entries all equal the scalar node s (its gradient flows
// to s). Used for per-row log-determinants that do not depend on the row.
func (g *Graph) Fill(s *G.Node, n int) *G.Node {
	ones := make([]float64, n)
	for i := range ones {
		ones[i] = 1
	}
	return G.Must(G.Mul(g.ConstVec(ones), s))
}

// Zeros returns a constant length-n zero vector (the log-determinant of a volume-preserving layer).
func (g *Graph) Zeros(n int) *G.Node { return g.ConstVec(make([]float64, n)) }

// SoftClamp returns C·tanh(x/C), a smooth bound of x to (-C, C); C <= 0 returns x unchanged.
func SoftClamp(x *G.Node, c float64) *G.Node {
	if c <= 0 {
		return x
	}
	in := G.Must(G.Div(x, ScalarLike(x, c)))
	return G.Must(G.Mul(G.Must(G.Tanh(in)), ScalarLike(x, c)))
}

// SoftClampValue is the numeric twin of SoftClamp.
func SoftClampValue(x, c float64) float64 {
	if c <= 0 {
		return x
	}
	return c * math.Tanh(x/c)
}

// SoftClampValues sets s[i] = SoftClampValue(s[i], c) for every i, the tanh four values at a time
// (vmath.Tanh: math.Tanh's bits, so the results are SoftClampValue's).
func SoftClampValues(s []float64, c float64) {
	if c <= 0 {
		return
	}
	for i := range s {
		s[i] /= c
	}
	vmath.Tanh(s, s)
	for i := range s {
		s[i] *= c
	}
}

// Cols returns columns [from, to) of the matrix a as a matrix (gorgonia drops a size-1 axis of a
// slice; this keeps it).
func Cols(a *G.Node, from, to int) *G.Node {
	s := G.Must(G.Slice(a, nil, G.S(from, to)))
	return G.Must(G.Reshape(s, tensor.Shape{a.Shape()[0], to - from}))
}

// Rows returns rows [from, to) of the matrix a as a matrix.
func Rows(a *G.Node, from, to int) *G.Node {
	s := G.Must(G.Slice(a, G.S(from, to)))
	return G.Must(G.Reshape(s, tensor.Shape{to - from, a.Shape()[1]}))
}
