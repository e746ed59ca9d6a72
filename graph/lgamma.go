package graph

import (
	"fmt"
	"hash"
	"math"

	"github.com/chewxy/hm"
	"gonum.org/v1/gonum/mathext"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// LogGamma returns log Γ(x) elementwise (x > 0), with the gradient g·ψ(x), ψ the digamma
// function: the normalizer of a Student-t whose degrees of freedom are learned.
func LogGamma(x *G.Node) *G.Node { return G.Must(G.ApplyOp(lgammaOp{}, x)) }

// lgammaOp is log Γ(x); lgammaGradOp(x, g) is g·ψ(x).
type (
	lgammaOp     struct{}
	lgammaGradOp struct{}
)

func (lgammaOp) Arity() int                  { return 1 }
func (lgammaGradOp) Arity() int              { return 2 }
func (lgammaOp) String() string              { return "LogGamma" }
func (lgammaGradOp) String() string          { return "LogGammaGrad" }
func (lgammaOp) ReturnsPtr() bool            { return false }
func (lgammaGradOp) ReturnsPtr() bool        { return false }
func (lgammaOp) CallsExtern() bool           { return false }
func (lgammaGradOp) CallsExtern() bool       { return false }
func (lgammaOp) OverwritesInput() int        { return -1 }
func (lgammaGradOp) OverwritesInput() int    { return -1 }
func (o lgammaOp) WriteHash(h hash.Hash)     { fmt.Fprint(h, o.String()) }
func (o lgammaGradOp) WriteHash(h hash.Hash) { fmt.Fprint(h, o.String()) }
func (o lgammaOp) Hashcode() uint32          { return hashOf(o) }
func (o lgammaGradOp) Hashcode() uint32      { return hashOf(o) }
func (lgammaOp) Type() hm.Type               { a := hm.TypeVariable('a'); return hm.NewFnType(a, a) }
func (lgammaGradOp) Type() hm.Type           { a := hm.TypeVariable('a'); return hm.NewFnType(a, a, a) }
func (lgammaOp) DiffWRT(int) []bool          { return []bool{true} }
func (lgammaOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	return shapeOf(in[0])
}
func (lgammaGradOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) { return shapeOf(in[0]) }

// shapeOf returns the shape of a scalar or tensor operand.
func shapeOf(d G.DimSizer) (tensor.Shape, error) {
	if s, ok := d.(tensor.Shape); ok {
		return s.Clone(), nil
	}
	return tensor.ScalarShape(), nil
}

func (lgammaOp) SymDiff(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	g, err := G.ApplyOp(lgammaGradOp{}, in[0], grad)
	if err != nil {
		return nil, err
	}
	return G.Nodes{g}, nil
}

func (lgammaOp) Do(in ...G.Value) (G.Value, error) {
	return mapValues(func(x []float64) float64 { v, _ := math.Lgamma(x[0]); return v }, in...)
}

func (lgammaGradOp) Do(in ...G.Value) (G.Value, error) {
	return mapValues(func(x []float64) float64 { return x[1] * mathext.Digamma(x[0]) }, in...)
}

// mapValues applies f elementwise to equally shaped float64 or float32 values (scalars too),
// f receiving the operands' elements at one position.
func mapValues(f func([]float64) float64, in ...G.Value) (G.Value, error) {
	at := func(v G.Value, i int) (float64, error) {
		switch d := v.Data().(type) {
		case []float64:
			return d[i], nil
		case []float32:
			return float64(d[i]), nil
		case float64:
			return d, nil
		case float32:
			return float64(d), nil
		}
		return 0, fmt.Errorf("graph: %T operand", v.Data())
	}
	n := in[0].Shape().TotalSize()
	if in[0].Shape().IsScalar() {
		xs := make([]float64, len(in))
		for k, v := range in {
			var err error
			if xs[k], err = at(v, 0); err != nil {
				return nil, err
			}
		}
		if in[0].Dtype() == tensor.Float32 {
			return G.NewF32(float32(f(xs))), nil
		}
		return G.NewF64(f(xs)), nil
	}
	out := newLike(in[0])
	xs := make([]float64, len(in))
	for i := range n {
		for k, v := range in {
			var err error
			if xs[k], err = at(v, i); err != nil {
				return nil, err
			}
		}
		switch d := out.Data().(type) {
		case []float64:
			d[i] = f(xs)
		case []float32:
			d[i] = float32(f(xs))
		}
	}
	return out, nil
}
