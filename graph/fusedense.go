package graph

import (
	"fmt"

	"github.com/affineflow/flow/internal/fastblas"
	"github.com/affineflow/flow/internal/vmath"
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
	// Grad sets dst[i] = g[i]·act'(x_i) given a[i] = act(x_i): the derivative from the output, so
	// the pre-activation need not be kept; dst may be g.
	Grad(a, g, dst []float64)
	// Apply32 and Grad32 are Apply and Grad in float32.
	Apply32(v []float32)
	Grad32(a, g, dst []float32)
}

// A Rectifier is an Activation that may be ReLU: when Rectifies, the fused dense map applies it
// in the pass that adds the bias (layers.Activation is one).
type Rectifier interface{ Rectifies() bool }

// Dense returns z = act(h·w + b), or h + act(h·w + b) when residual, as one node: the fused form
// of MaskedDense followed by the activation (act nil: the identity). h is N×in, w in×out (usually
// the W ⊙ M node of Hadamard), b has out values; residual needs in == out.
//
// Forward it is one GEMM into a buffer kept across runs, then one pass that adds the bias and
// applies ReLU (a Rectifier), or the bias and then another activation. Its symbolic gradient is
// one backward node that forms g_pre = ∂L/∂z ⊙ act' and computes
//
//	∂L/∂w = hᵀ·g_pre,  ∂L/∂b = Σ_rows g_pre,  ∂L/∂h = g_pre·wᵀ (+ ∂L/∂z when residual),
//
// the transposes taken by the GEMM, not materialized; ∂L/∂h is skipped when h is a data input of
// g (Input), which needs no gradient. bands, the block structure of w's zeros (NewBands of its
// mask; nil: none), lets the three products skip their zero blocks.
func (g *Graph) Dense(h, w, b *G.Node, act Activation, residual bool, bands *Bands) *G.Node {
	base := newOpBase("FusedDense")
	if isFloat32(h) {
		return G.Must(G.ApplyOp(denseOp[float32]{opBase: base, act: act, residual: residual,
			inGrad: !g.noGrad[h], bands: bands, st: &denseState[float32]{beside: g.Beside}}, h, w, b))
	}
	return G.Must(G.ApplyOp(denseOp[float64]{opBase: base, act: act, residual: residual,
		inGrad: !g.noGrad[h], bands: bands, st: &denseState[float64]{beside: g.Beside}}, h, w, b))
}

// denseOp is z = act(h·w + b) (+ h). denseBackOp, its gradient node, returns ∂L/∂w and fills the
// state's ∂L/∂b and ∂L/∂h, which two pick nodes return.
type (
	denseOp[T Float] struct {
		opBase
		act      Activation // nil: identity
		residual bool
		inGrad   bool   // compute ∂L/∂h
		bands    *Bands // nil: dense products
		st       *denseState[T]
	}
	denseBackOp[T Float] struct {
		opBase
		f denseOp[T]
	}
	denseState[T Float] struct {
		out, a     *tensor.Dense // a = act(h·w + b); out = a, or a + h (residual)
		gp         []T           // ∂L/∂(h·w + b)
		gw, gb, gh *tensor.Dense
		blocks     []block          // scratch of the block-sparse products
		stairs     []fastblas.Stair // of the staircase products
		scratch    []T              // their transposed operands
		beside     int              // the graph's Beside
	}
)

func (denseOp[T]) Arity() int     { return 3 }
func (denseBackOp[T]) Arity() int { return 4 }

func (denseOp[T]) Type() hm.Type { return hm.NewFnType(matType, matType, vecType, matType) }
func (denseBackOp[T]) Type() hm.Type {
	return hm.NewFnType(matType, matType, matType, matType, matType)
}

func (o denseOp[T]) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	h, w, err := twoShapes(in)
	if err != nil {
		return nil, err
	}
	if h[1] != w[0] || (o.residual && w[0] != w[1]) {
		return nil, fmt.Errorf("graph: dense map of %v by %v (residual %t)", h, w, o.residual)
	}
	return tensor.Shape{h[0], w[1]}, nil
}

func (denseBackOp[T]) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
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

func (o denseOp[T]) Do(in ...G.Value) (G.Value, error) {
	hd, n, k, err := matrixData[T](in[0], "dense input")
	if err != nil {
		return nil, err
	}
	wd, k2, m, err := matrixData[T](in[1], "dense weights")
	if err != nil {
		return nil, err
	}
	bd, err := vectorData[T](in[2], m, "dense bias")
	if err != nil {
		return nil, err
	}
	if k2 != k || len(hd) != n*k {
		return nil, fmt.Errorf("graph: dense map of %d×%d by %d×%d", n, k, k2, m)
	}
	st := o.st
	out := buffer[T](&st.out, n, m)
	a := out
	if o.residual {
		a = buffer[T](&st.a, n, m)
	}
	ad := data[T](a)
	// the product sets ad (β = 0) and one pass adds the bias, rectifying when the activation is
	// ReLU; the block products only add to the blocks they cover, so ad starts as the bias rows
	relu := false
	if r, ok := o.act.(Rectifier); ok {
		relu = r.Rectifies()
	}
	switch bs := o.bands; {
	case bs != nil && bs.colLines != nil && stairsAvailable[T]():
		gemmStairs(blas.NoTrans, blas.NoTrans, n, m, k, hd, k, wd, m, 0, ad, m, bs.colLines, false, &st.scratch, &st.stairs, st.beside)
		vmath.AddBias(ad, n, m, bd, relu)
	case bs != nil && bs.cols != nil:
		for r := 0; r < n; r++ {
			copy(ad[r*m:(r+1)*m], bd)
		}
		st.blocks = bs.forward(st.blocks[:0], n)
		gemmBlocks(blas.NoTrans, blas.NoTrans, n, m, k, st.blocks, hd, k, wd, m, 1, ad, m, &st.scratch, st.beside)
		relu = false
	default:
		gemm(blas.NoTrans, blas.NoTrans, n, m, k, hd, k, wd, m, 0, ad, m)
		vmath.AddBias(ad, n, m, bd, relu)
	}
	if o.act != nil && !relu {
		applyAct(o.act, ad)
	}
	if o.residual {
		od := data[T](out)
		for i, v := range ad {
			od[i] = v + hd[i]
		}
	}
	return out, nil
}

func (o denseOp[T]) DiffWRT(int) []bool { return []bool{o.inGrad, true, true} }

func (o denseOp[T]) SymDiff(in G.Nodes, out, grad *G.Node) (G.Nodes, error) {
	h, w := in[0].Shape(), in[1].Shape()
	back, err := G.ApplyOp(denseBackOp[T]{opBase: newOpBase("FusedDenseGrad"), f: o}, in[0], in[1], out, grad)
	if err != nil {
		return nil, err
	}
	st := o.st
	gb, err := pick(true, "FusedDenseGradB", tensor.Shape{w[1]}, back, func() *tensor.Dense { return st.gb })
	if err != nil {
		return nil, err
	}
	gh, err := pick(o.inGrad, "FusedDenseGradH", h.Clone(), back, func() *tensor.Dense { return st.gh })
	return G.Nodes{gh, back, gb}, err
}

func (o denseBackOp[T]) Do(in ...G.Value) (G.Value, error) {
	f, st := o.f, o.f.st
	hd, n, k, err := matrixData[T](in[0], "dense input")
	if err != nil {
		return nil, err
	}
	wd, _, m, err := matrixData[T](in[1], "dense weights")
	if err != nil {
		return nil, err
	}
	gd, err := vectorData[T](in[3], n*m, "dense output gradient")
	if err != nil {
		return nil, err
	}
	gp := gd
	if f.act != nil {
		if len(st.gp) != n*m {
			st.gp = make([]T, n*m)
		}
		gp = st.gp
		a := st.out
		if f.residual {
			a = st.a
		}
		gradAct(f.act, data[T](a), gd, gp)
	}
	gw := buffer[T](&st.gw, k, m)
	if bs := f.bands; bs != nil && bs.colLines != nil && stairsAvailable[T]() {
		// the tiles that meet the staircase are set with β = 0; the rest of gw is never written
		// (nor by OnSpans' gradient, which only zeroes values in place) and stays at its first zeros
		gemmStairs(blas.Trans, blas.NoTrans, k, m, n, hd, k, gp, m, 0, data[T](gw), m, bs.colLines, true, &st.scratch, &st.stairs, st.beside)
	} else if bs != nil && bs.cols != nil {
		// the blocks are disjoint and set with β = 0; the rest of gw stays at its first zeros, as
		// above
		st.blocks = bs.weightGrad(st.blocks[:0], n)
		gemmBlocks(blas.Trans, blas.NoTrans, k, m, n, st.blocks, hd, k, gp, m, 0, data[T](gw), m, &st.scratch, st.beside)
	} else {
		gemm(blas.Trans, blas.NoTrans, k, m, n, hd, k, gp, m, 0, data[T](gw), m)
	}
	gb := data[T](buffer[T](&st.gb, m, -1))
	clear(gb)
	vmath.AddRows(gb, gp[:n*m])
	if f.inGrad {
		gh := data[T](buffer[T](&st.gh, n, k))
		if bs := f.bands; bs != nil && bs.rowLines != nil && stairsAvailable[T]() {
			gemmStairs(blas.NoTrans, blas.Trans, n, k, m, gp, m, wd, m, 0, gh, k, bs.rowLines, false, &st.scratch, &st.stairs, st.beside)
		} else if bs != nil && bs.rows != nil {
			// the row groups' blocks cover gh, disjoint, set with β = 0
			st.blocks = bs.inputGrad(st.blocks[:0], n)
			gemmBlocks(blas.NoTrans, blas.Trans, n, k, m, st.blocks, gp, m, wd, m, 0, gh, k, &st.scratch, st.beside)
		} else {
			gemm(blas.NoTrans, blas.Trans, n, k, m, gp, m, wd, m, 0, gh, k)
		}
		if f.residual {
			vmath.Add(gh, gd)
		}
	}
	return st.gw, nil
}

func (denseBackOp[T]) DiffWRT(int) []bool { return []bool{false, false, false, false} }

func (o denseBackOp[T]) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, fmt.Errorf("graph: %s has no second derivative", o.name)
}
