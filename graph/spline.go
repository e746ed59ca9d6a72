package graph

import (
	"errors"
	"fmt"

	"github.com/affineflow/flow/internal/parallel"
	"github.com/affineflow/flow/internal/spline"
	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Spline returns the rational-quadratic spline injection of x (N×D) by the conditioner output raw
// (N×PD, P = 3K − 1 values per dimension: K width logits, K height logits, K − 1 derivatives; see
// internal/spline): y_i = RQS(x_i; dimension i's values) with K bins on [−bound, bound] and
// identity tails, logdet = Σ_i log dy_i/dx_i per row. Dimension i's values are the columns
// i, D+i, 2D+i, ... (blocks of D, as a MADE's outputs), or with interleaved the columns
// iP, iP+1, ..., iP+P−1 (an injection layer's per-dimension outputs, and a MADE's as its fused
// path orders them, layers.Net.NodeCols). As Affine, two fused nodes in a chain (chained.go); the
// backward node differentiates each bin's formula and knots from what the forward node saved
// (spline.ForwardSaving, BackwardSaved). Both run in parallel over pieces of rows.
func (g *Graph) Spline(x, raw *G.Node, bins int, bound float64, interleaved bool) (y, logdet *G.Node) {
	if isFloat32(x) {
		return splineNodes[float32](g, x, raw, bins, bound, interleaved)
	}
	return splineNodes[float64](g, x, raw, bins, bound, interleaved)
}

func splineNodes[T Float](g *Graph, x, raw *G.Node, bins int, bound float64, interleaved bool) (y, logdet *G.Node) {
	st := &splineState[T]{s: spline.Spline{Bins: bins, Bound: bound}, interleaved: interleaved, chained: chained[T]{name: "Spline"}}
	logdet = G.Must(G.ApplyOp(splineOp[T]{opBase: newOpBase("Spline"), st: st, xGrad: !g.noGrad[x]}, x, raw))
	return st.yNode(logdet, x.Shape()), logdet
}

// splineState is shared by the ops of one spline injection.
type splineState[T Float] struct {
	chained[T]
	s           spline.Spline
	interleaved bool // dimension i's values are adjacent (iP..iP+P−1), not strided by D
	ld          *tensor.Dense
	gx, gr      *tensor.Dense // ∂L/∂x, ∂L/∂raw
	blocks      []splineScratch
	// saved holds, once the op is differentiated, what the forward pass of each value keeps
	// for the backward one (spline.Saved values each, row by row), so that the backward pass
	// does not build the knots again
	saved []float64
	save  bool
}

// splineRows is the number of rows of one parallel piece of the spline ops.
const splineRows = 16

// splineScratch is one piece's working memory: one dimension's P values, their gradient, and the
// spline's knots.
type splineScratch struct {
	u, gu []float64
	sc    spline.Scratch
}

// each calls f(r, w) for every row r of n, in pieces of splineRows rows on parallel goroutines, w
// being the piece's scratch (kept in st for the next run). Each row's values depend on that row
// alone, so the results do not depend on the cut.
func (st *splineState[T]) each(n int, f func(r int, w *splineScratch)) {
	pieces := (n + splineRows - 1) / splineRows
	if len(st.blocks) != pieces {
		p := spline.Params(st.s.Bins)
		st.blocks = make([]splineScratch, pieces)
		for k := range st.blocks {
			st.blocks[k] = splineScratch{u: make([]float64, p), gu: make([]float64, p)}
		}
	}
	parallel.For(pieces, func(k int) {
		for r := k * splineRows; r < min(n, (k+1)*splineRows); r++ {
			f(r, &st.blocks[k])
		}
	})
}

type (
	// splineOp(x, raw) = Σ_i log dy_i/dx_i per row; it also fills y.
	splineOp[T Float] struct {
		opBase
		st    *splineState[T]
		xGrad bool
	}
	// splineBackOp(x, raw, [∂L/∂y,] ∂L/∂logdet) = ∂L/∂raw; it also fills ∂L/∂x.
	splineBackOp[T Float] struct {
		opBase
		st    *splineState[T]
		withY bool
		xGrad bool
	}
)

func (splineOp[T]) Arity() int { return 2 }
func (o splineBackOp[T]) Arity() int {
	if o.withY {
		return 4
	}
	return 3
}

func (splineOp[T]) Type() hm.Type { return hm.NewFnType(matType, matType, vecType) }
func (o splineBackOp[T]) Type() hm.Type {
	if o.withY {
		return hm.NewFnType(matType, matType, matType, vecType, matType)
	}
	return hm.NewFnType(matType, matType, vecType, matType)
}

func (o splineOp[T]) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	x, raw, err := twoShapes(in)
	if err != nil {
		return nil, err
	}
	if p := spline.Params(o.st.s.Bins); x[0] != raw[0] || p*x[1] != raw[1] {
		return nil, fmt.Errorf("graph: spline injection of %v by a conditioner output of %v, want %d values per dimension", x, raw, p)
	}
	return tensor.Shape{x[0]}, nil
}

func (splineBackOp[T]) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, ok := in[1].(tensor.Shape)
	if !ok || len(s) != 2 {
		return nil, errors.New("graph: spline backward needs the conditioner output")
	}
	return s.Clone(), nil
}

// at returns the index in a row of raw of dimension i's j-th value.
func (st *splineState[T]) at(i, j, d, p int) int {
	if st.interleaved {
		return i*p + j
	}
	return j*d + i
}

// params copies dimension i's P values of raw row r into w.u.
func (st *splineState[T]) params(rd []T, r, i, d int, w *splineScratch) []float64 {
	p := len(w.u)
	row := rd[r*p*d:]
	for j := range w.u {
		w.u[j] = float64(row[st.at(i, j, d, p)])
	}
	return w.u
}

func (o splineOp[T]) Do(in ...G.Value) (G.Value, error) {
	xd, n, d, err := matrixData[T](in[0], "spline input")
	if err != nil {
		return nil, err
	}
	st := o.st
	rd, err := vectorData[T](in[1], spline.Params(st.s.Bins)*n*d, "spline conditioner output")
	if err != nil {
		return nil, err
	}
	ld := data[T](buffer[T](&st.ld, n, -1))
	yd := data[T](buffer[T](&st.y, n, d))
	sv := spline.Saved(st.s.Bins)
	if st.save && len(st.saved) < n*d*sv {
		st.saved = make([]float64, n*d*sv)
	}
	st.each(n, func(r int, w *splineScratch) {
		sum := 0.0
		for i := range d {
			x, u := float64(xd[r*d+i]), st.params(rd, r, i, d, w)
			var y, l float64
			if st.save {
				at := (r*d + i) * sv
				y, l = st.s.ForwardSaving(x, u, 1, &w.sc, st.saved[at:at+sv])
			} else {
				y, l = st.s.Forward(x, u, 1, &w.sc)
			}
			yd[r*d+i] = T(y)
			sum += l
		}
		ld[r] = T(sum)
	})
	return st.ld, nil
}

func (o splineOp[T]) DiffWRT(int) []bool { return []bool{o.xGrad, true} }

func (o splineOp[T]) SymDiff(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	st := o.st
	st.save = true
	back := splineBackOp[T]{opBase: newOpBase("SplineGrad"), st: st, withY: st.gy != nil, xGrad: o.xGrad}
	args := G.Nodes{in[0], in[1]}
	if st.gy != nil {
		args = append(args, st.gy)
	}
	b, err := G.ApplyOp(back, append(args, grad)...)
	if err != nil {
		return nil, err
	}
	gx, err := pick(o.xGrad, "SplineGradX", in[0].Shape().Clone(), b, func() *tensor.Dense { return st.gx })
	return G.Nodes{gx, b}, err
}

func (o splineBackOp[T]) Do(in ...G.Value) (G.Value, error) {
	st := o.st
	xd, n, d, err := matrixData[T](in[0], "spline input")
	if err != nil {
		return nil, err
	}
	p := spline.Params(st.s.Bins)
	rd, err := vectorData[T](in[1], p*n*d, "spline conditioner output")
	if err != nil {
		return nil, err
	}
	var gy []T // nil: y is not used
	if o.withY {
		if gy, err = vectorData[T](in[2], n*d, "spline output gradient"); err != nil {
			return nil, err
		}
	}
	gl, err := vectorData[T](in[len(in)-1], n, "spline log-det gradient")
	if err != nil {
		return nil, err
	}
	gr := data[T](buffer[T](&st.gr, n, p*d))
	var gx []T
	if o.xGrad {
		gx = data[T](buffer[T](&st.gx, n, d))
	}
	sv := spline.Saved(st.s.Bins)
	if len(st.saved) < n*d*sv {
		return nil, errors.New("graph: spline backward ran before its forward pass")
	}
	st.each(n, func(r int, w *splineScratch) {
		for i := range d {
			u := st.params(rd, r, i, d, w)
			clear(w.gu)
			dy := 0.0
			if gy != nil {
				dy = float64(gy[r*d+i])
			}
			at := (r*d + i) * sv
			g := st.s.BackwardSaved(float64(xd[r*d+i]), u, 1, dy, float64(gl[r]), w.gu, &w.sc, st.saved[at:at+sv])
			if gx != nil {
				gx[r*d+i] = T(g)
			}
			row := gr[r*p*d:]
			for j, v := range w.gu {
				row[st.at(i, j, d, p)] = T(v)
			}
		}
	})
	return st.gr, nil
}

func (o splineBackOp[T]) DiffWRT(n int) []bool { return make([]bool, n) }

func (o splineBackOp[T]) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, fmt.Errorf("graph: %s has no second derivative", o.name)
}
