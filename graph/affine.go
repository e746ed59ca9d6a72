package graph

import (
	"errors"
	"fmt"
	"math"

	"github.com/affineflow/flow/internal/vmath"
	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Affine returns the affine injection of x (N×D) by the conditioner output raw (N×2D), with
// C = clamp (<= 0: no bound):
//
//	s = C·tanh(raw[:, :D]/C),  t = raw[:, D:],  y = x ⊙ exp(s) + t,  logdet = Σ_i s_i per row,
//
// as two fused nodes in a chain, logdet = core(x, raw) and y = pick(logdet) (chained.go), with
// the gradients
//
//	∂L/∂raw_s = (∂L/∂y ⊙ x ⊙ exp(s) + ∂L/∂logdet)·(1 − (s/C)²),  ∂L/∂raw_t = ∂L/∂y,
//	∂L/∂x = ∂L/∂y ⊙ exp(s)  (skipped when x is a data input of g).
func (g *Graph) Affine(x, raw *G.Node, clamp float64) (y, logdet *G.Node) {
	if isFloat32(x) {
		return affine[float32](g, x, raw, clamp)
	}
	return affine[float64](g, x, raw, clamp)
}

func affine[T Float](g *Graph, x, raw *G.Node, clamp float64) (y, logdet *G.Node) {
	st := &affineState[T]{clamp: math.Max(clamp, 0), chained: chained[T]{name: "Affine"}}
	logdet = G.Must(G.ApplyOp(affineOp[T]{opBase: newOpBase("Affine"), st: st, xGrad: !g.noGrad[x]}, x, raw))
	return st.yNode(logdet, x.Shape()), logdet
}

// affineState is shared by the ops of one affine injection.
type affineState[T Float] struct {
	chained[T]
	clamp float64
	s, e  []T       // s and exp(s), N×D
	w64   []float64 // float32: s and exp(s) in float64 (2·N·D)
	ld    *tensor.Dense
	gx, g *tensor.Dense // ∂L/∂x, ∂L/∂raw
}

type (
	// affineOp(x, raw) = Σ_i s_i per row; it also fills s, exp(s) and y.
	affineOp[T Float] struct {
		opBase
		st    *affineState[T]
		xGrad bool
	}
	// affineBackOp(x, [∂L/∂y,] ∂L/∂logdet, logdet) = ∂L/∂raw; it also fills ∂L/∂x.
	affineBackOp[T Float] struct {
		opBase
		st    *affineState[T]
		withY bool
		xGrad bool
	}
)

// work returns float64 slices of n values for s and exp(s): st.s and st.e themselves in float64.
func (st *affineState[T]) work(n int) (s, e []float64) {
	if s, ok := any(st.s).([]float64); ok {
		return s, any(st.e).([]float64)
	}
	if len(st.w64) != 2*n {
		st.w64 = make([]float64, 2*n)
	}
	return st.w64[:n], st.w64[n:]
}

func (affineOp[T]) Arity() int { return 2 }
func (o affineBackOp[T]) Arity() int {
	if o.withY {
		return 4
	}
	return 3
}

func (affineOp[T]) Type() hm.Type { return hm.NewFnType(matType, matType, vecType) }
func (o affineBackOp[T]) Type() hm.Type {
	if o.withY {
		return hm.NewFnType(matType, matType, vecType, vecType, matType)
	}
	return hm.NewFnType(matType, vecType, vecType, matType)
}

func (affineOp[T]) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	x, raw, err := twoShapes(in)
	if err != nil {
		return nil, err
	}
	if x[0] != raw[0] || 2*x[1] != raw[1] {
		return nil, fmt.Errorf("graph: affine injection of %v by a conditioner output of %v", x, raw)
	}
	return tensor.Shape{x[0]}, nil
}

func (affineBackOp[T]) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, ok := in[0].(tensor.Shape)
	if !ok || len(s) != 2 {
		return nil, errors.New("graph: affine backward needs the input matrix")
	}
	return tensor.Shape{s[0], 2 * s[1]}, nil
}

func (o affineOp[T]) Do(in ...G.Value) (G.Value, error) {
	xd, n, d, err := matrixData[T](in[0], "affine input")
	if err != nil {
		return nil, err
	}
	rd, err := vectorData[T](in[1], 2*n*d, "affine conditioner output")
	if err != nil {
		return nil, err
	}
	st, c := o.st, o.st.clamp
	if len(st.s) != n*d {
		st.s, st.e = make([]T, n*d), make([]T, n*d)
	}
	ld := data[T](buffer[T](&st.ld, n, -1))
	yd := data[T](buffer[T](&st.y, n, d))
	// s = C·tanh(raw_s/C) and exp(s) in float64 for all rows at once (SoftClampValues, vmath.Exp:
	// the bits of the scalar functions), then rounded to T
	s64, e64 := st.work(n * d)
	for r := 0; r < n; r++ {
		for i, rv := range rd[2*r*d : 2*r*d+d] {
			s64[r*d+i] = float64(rv)
		}
	}
	SoftClampValues(s64, c)
	vmath.Exp(e64, s64)
	for r := 0; r < n; r++ {
		row := r * d
		t := rd[2*row+d : 2*row+2*d]
		var sum T
		for i := range t {
			s, e := T(s64[row+i]), T(e64[row+i])
			st.s[row+i], st.e[row+i] = s, e
			yd[row+i] = xd[row+i]*e + t[i]
			sum += s
		}
		ld[r] = sum
	}
	return st.ld, nil
}

func (o affineOp[T]) DiffWRT(int) []bool { return []bool{o.xGrad, true} }

func (o affineOp[T]) SymDiff(in G.Nodes, out, grad *G.Node) (G.Nodes, error) {
	st := o.st
	back := affineBackOp[T]{opBase: newOpBase("AffineGrad"), st: st, withY: st.gy != nil, xGrad: o.xGrad}
	var b *G.Node
	var err error
	if st.gy != nil {
		b, err = G.ApplyOp(back, in[0], st.gy, grad, out)
	} else {
		b, err = G.ApplyOp(back, in[0], grad, out)
	}
	if err != nil {
		return nil, err
	}
	gx, err := pick(o.xGrad, "AffineGradX", in[0].Shape().Clone(), b, func() *tensor.Dense { return st.gx })
	return G.Nodes{gx, b}, err
}

func (o affineBackOp[T]) Do(in ...G.Value) (G.Value, error) {
	st := o.st
	xd, n, d, err := matrixData[T](in[0], "affine input")
	if err != nil {
		return nil, err
	}
	var gy []T // nil: y is not used
	if o.withY {
		if gy, err = vectorData[T](in[1], n*d, "affine output gradient"); err != nil {
			return nil, err
		}
	}
	gl, err := vectorData[T](in[len(in)-2], n, "affine log-det gradient")
	if err != nil {
		return nil, err
	}
	gr := data[T](buffer[T](&st.g, n, 2*d))
	var gx []T
	if o.xGrad {
		gx = data[T](buffer[T](&st.gx, n, d))
	}
	c := T(st.clamp)
	for r := 0; r < n; r++ {
		row := r * d
		gs, gt := gr[2*row:2*row+d], gr[2*row+d:2*row+2*d]
		for i, s := range st.s[row : row+d] {
			v, w := gl[r], T(0)
			if gy != nil {
				w = gy[row+i]
				v += w * xd[row+i] * st.e[row+i]
			}
			gt[i] = w
			if gx != nil {
				gx[row+i] = w * st.e[row+i]
			}
			if c > 0 {
				q := s / c
				v *= 1 - q*q
			}
			gs[i] = v
		}
	}
	return st.g, nil
}

func (o affineBackOp[T]) DiffWRT(n int) []bool { return make([]bool, n) }

func (o affineBackOp[T]) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, fmt.Errorf("graph: %s has no second derivative", o.name)
}
