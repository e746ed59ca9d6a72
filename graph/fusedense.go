package graph

import (
	"fmt"

	"github.com/chewxy/hm"
	"gonum.org/v1/gonum/blas"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Activation is a hidden-unit nonlinearity as the fused dense map needs it (layers.Activation is
// one).
type Activation interface {
	// Apply sets v[i] = act(v[i]).
	Apply(v []float64)
	// Grad sets g[i] = g[i]·act'(x_i) given a[i] = act(x_i): the derivative from the output, so
	// the pre-activation need not be kept.
	Grad(a, g []float64)
}

// Dense returns z = act(h·w + b), or h + act(h·w + b) when residual, as one node: the fused form
// of MaskedDense followed by the activation (act nil: the identity). h is N×in, w in×out (usually
// the W ⊙ M node of Hadamard), b has out values; residual needs in == out.
//
// Forward it is one GEMM into the bias rows and one pass of the activation, into a buffer kept
// across runs. Its symbolic gradient is one backward node that forms g_pre = ∂L/∂z ⊙ act'
// and computes
//
//	∂L/∂w = hᵀ·g_pre,  ∂L/∂b = Σ_rows g_pre,  ∂L/∂h = g_pre·wᵀ (+ ∂L/∂z when residual),
//
// the transposes taken by the GEMM, not materialized; ∂L/∂h is skipped when h is a data input of
// g (Input), which needs no gradient.
func (g *Graph) Dense(h, w, b *G.Node, act Activation, residual bool) *G.Node {
	op := denseOp{opBase: newOpBase("FusedDense"), act: act, residual: residual,
		inGrad: !g.noGrad[h], st: new(denseState)}
	return G.Must(G.ApplyOp(op, h, w, b))
}

// denseOp is z = act(h·w + b) (+ h). denseBackOp, its gradient node, returns ∂L/∂w and fills the
// state's ∂L/∂b and ∂L/∂h, which two pick nodes return.
type (
	denseOp struct {
		opBase
		act      Activation // nil: identity
		residual bool
		inGrad   bool // compute ∂L/∂h
		st       *denseState
	}
	denseBackOp struct {
		opBase
		f denseOp
	}
	denseState struct {
		out, a     *tensor.Dense // a = act(h·w + b); out = a, or a + h (residual)
		gp         []float64     // ∂L/∂(h·w + b)
		gw, gb, gh *tensor.Dense
	}
)

func (denseOp) Arity() int     { return 3 }
func (denseBackOp) Arity() int { return 4 }

func (denseOp) Type() hm.Type     { return hm.NewFnType(matType, matType, vecType, matType) }
func (denseBackOp) Type() hm.Type { return hm.NewFnType(matType, matType, matType, matType, matType) }

func (o denseOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	h, w, err := twoShapes(in)
	if err != nil {
		return nil, err
	}
	if h[1] != w[0] || (o.residual && w[0] != w[1]) {
		return nil, fmt.Errorf("graph: dense map of %v by %v (residual %t)", h, w, o.residual)
	}
	return tensor.Shape{h[0], w[1]}, nil
}

func (denseBackOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	_, w, err := twoShapes(in)
	return w, err
}

// twoShapes returns the first two shapes of in, both matrices.
func twoShapes(in []G.DimSizer) (tensor.Shape, tensor.Shape, error) {
	a, ok1 := in[0].(tensor.Shape)
	b, ok2 := in[1].(tensor.Shape)
	if !ok1 || !ok2 || len(a) != 2 || len(b) != 2 {
		return nil, nil, fmt.Errorf("graph: want two matrices, got %v and %v", in[0], in[1])
	}
	return a.Clone(), b.Clone(), nil
}

func (o denseOp) Do(in ...G.Value) (G.Value, error) {
	hd, n, k, err := matrixData(in[0], "dense input")
	if err != nil {
		return nil, err
	}
	wd, k2, m, err := matrixData(in[1], "dense weights")
	if err != nil {
		return nil, err
	}
	bd, err := vectorData(in[2], m, "dense bias")
	if err != nil {
		return nil, err
	}
	if k2 != k || len(hd) != n*k {
		return nil, fmt.Errorf("graph: dense map of %d×%d by %d×%d", n, k, k2, m)
	}
	st := o.st
	out := buffer(&st.out, n, m)
	a := out
	if o.residual {
		a = buffer(&st.a, n, m)
	}
	ad := a.Data().([]float64)
	for r := 0; r < n; r++ {
		copy(ad[r*m:(r+1)*m], bd)
	}
	dgemm(blas.NoTrans, blas.NoTrans, n, m, k, 1, hd, k, wd, m, 1, ad, m)
	if o.act != nil {
		o.act.Apply(ad)
	}
	if o.residual {
		od := out.Data().([]float64)
		for i, v := range ad {
			od[i] = v + hd[i]
		}
	}
	return out, nil
}

func (o denseOp) DiffWRT(int) []bool { return []bool{o.inGrad, true, true} }

func (o denseOp) SymDiff(in G.Nodes, out, grad *G.Node) (G.Nodes, error) {
	h, w := in[0].Shape(), in[1].Shape()
	back, err := G.ApplyOp(denseBackOp{opBase: newOpBase("FusedDenseGrad"), f: o}, in[0], in[1], out, grad)
	if err != nil {
		return nil, err
	}
	st := o.st
	gb, err := G.ApplyOp(newPick("FusedDenseGradB", tensor.Shape{w[1]}, func() *tensor.Dense { return st.gb }), back)
	if err != nil {
		return nil, err
	}
	var gh *G.Node
	if o.inGrad {
		if gh, err = G.ApplyOp(newPick("FusedDenseGradH", h.Clone(), func() *tensor.Dense { return st.gh }), back); err != nil {
			return nil, err
		}
	}
	return G.Nodes{gh, back, gb}, nil
}

func (o denseBackOp) Do(in ...G.Value) (G.Value, error) {
	f, st := o.f, o.f.st
	hd, n, k, err := matrixData(in[0], "dense input")
	if err != nil {
		return nil, err
	}
	wd, _, m, err := matrixData(in[1], "dense weights")
	if err != nil {
		return nil, err
	}
	gd, err := vectorData(in[3], n*m, "dense output gradient")
	if err != nil {
		return nil, err
	}
	gp := gd
	if f.act != nil {
		if len(st.gp) != n*m {
			st.gp = make([]float64, n*m)
		}
		gp = st.gp
		copy(gp, gd)
		a := st.out
		if f.residual {
			a = st.a
		}
		f.act.Grad(a.Data().([]float64), gp)
	}
	gw := buffer(&st.gw, k, m)
	dgemm(blas.Trans, blas.NoTrans, k, m, n, 1, hd, k, gp, m, 0, gw.Data().([]float64), m)
	gb := buffer(&st.gb, m, -1).Data().([]float64)
	clear(gb)
	for r := 0; r < n; r++ {
		for j, v := range gp[r*m : (r+1)*m] {
			gb[j] += v
		}
	}
	if f.inGrad {
		gh := buffer(&st.gh, n, k).Data().([]float64)
		dgemm(blas.NoTrans, blas.Trans, n, k, m, 1, gp, m, wd, m, 0, gh, k)
		if f.residual {
			for i, v := range gd {
				gh[i] += v
			}
		}
	}
	return st.gw, nil
}

func (denseBackOp) DiffWRT(int) []bool { return []bool{false, false, false, false} }

func (o denseBackOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, fmt.Errorf("graph: %s has no second derivative", o.name)
}
