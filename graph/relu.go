package graph

import (
	"fmt"
	"hash"
	"hash/fnv"
	"math"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// ReLU returns relu(x) = max(x, 0) elementwise as one fused op, with gradient g·[x > 0]:
//
//	relu(x) = x for x > 0, +0 for x ≤ 0 (−0 included), NaN for NaN;
//	∂relu/∂x · g = g for x > 0, 0 for x ≤ 0 (±0 included), NaN for NaN x,
//
// so a NaN from a diverging model reaches the loss and the trainer's non-finite checks. gorgonia's
// Rectify is x·(x ≥ 0): a comparison tensor and a product forward, two more passes backward, each
// a fresh allocation; ReLU is one branch-free pass each way (measured ~10% of a MAF training step
// at D=8).
func ReLU(x *G.Node) *G.Node { return G.Must(G.ApplyOp(reluOp{}, x)) }

// reluOp is max(x, 0); reluGradOp(x, g) is g·[x > 0] (NaN where x is NaN).
type (
	reluOp     struct{}
	reluGradOp struct{}
)

func (reluOp) Arity() int         { return 1 }
func (reluGradOp) Arity() int     { return 2 }
func (reluOp) String() string     { return "ReLU" }
func (reluGradOp) String() string { return "ReLUGrad" }

func (reluOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(a, a)
}

func (reluGradOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(a, a, a)
}

func (reluOp) InferShape(in ...G.DimSizer) (tensor.Shape, error)     { return inferSame(in) }
func (reluGradOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) { return inferSame(in) }

func inferSame(in []G.DimSizer) (tensor.Shape, error) {
	s, ok := in[0].(tensor.Shape)
	if !ok {
		return nil, fmt.Errorf("graph: ReLU input shape is %T", in[0])
	}
	return s.Clone(), nil
}

func (reluOp) ReturnsPtr() bool            { return false }
func (reluGradOp) ReturnsPtr() bool        { return false }
func (reluOp) CallsExtern() bool           { return false }
func (reluGradOp) CallsExtern() bool       { return false }
func (reluOp) OverwritesInput() int        { return -1 }
func (reluGradOp) OverwritesInput() int    { return -1 }
func (o reluOp) WriteHash(h hash.Hash)     { fmt.Fprint(h, o.String()) }
func (o reluGradOp) WriteHash(h hash.Hash) { fmt.Fprint(h, o.String()) }
func (o reluOp) Hashcode() uint32          { return hashOf(o) }
func (o reluGradOp) Hashcode() uint32      { return hashOf(o) }

// hashOf is the FNV-1a hash of what o writes (the Hashcode of every op of this package).
func hashOf(o interface{ WriteHash(hash.Hash) }) uint32 {
	h := fnv.New32a()
	o.WriteHash(h)
	return h.Sum32()
}

func newLike(v G.Value) *tensor.Dense {
	return tensor.New(tensor.WithShape(v.Shape().Clone()...), tensor.Of(v.Dtype()))
}

func (o reluOp) Do(in ...G.Value) (G.Value, error) { return o.UsePreallocDo(newLike(in[0]), in...) }

func (reluOp) UsePreallocDo(out G.Value, in ...G.Value) (G.Value, error) {
	switch x := in[0].Data().(type) {
	case []float64:
		return out, reluInto(x, out)
	case []float32:
		return out, reluInto(x, out)
	}
	return nil, fmt.Errorf("graph: ReLU of %T", in[0].Data())
}

func reluInto[T Float](x []T, out G.Value) error {
	y, ok := out.Data().([]T)
	if !ok {
		return fmt.Errorf("graph: ReLU output %T", out.Data())
	}
	for i, v := range x[:len(y)] {
		y[i] = T(ReLUValue(float64(v)))
	}
	return nil
}

func (reluOp) DiffWRT(int) []bool { return []bool{true} }

func (reluOp) SymDiff(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	g, err := G.ApplyOp(reluGradOp{}, in[0], grad)
	if err != nil {
		return nil, err
	}
	return G.Nodes{g}, nil
}

func (o reluGradOp) Do(in ...G.Value) (G.Value, error) {
	return o.UsePreallocDo(newLike(in[0]), in...)
}

func (reluGradOp) UsePreallocDo(out G.Value, in ...G.Value) (G.Value, error) {
	switch x := in[0].Data().(type) {
	case []float64:
		return out, reluGradInto(x, in[1], out)
	case []float32:
		return out, reluGradInto(x, in[1], out)
	}
	return nil, fmt.Errorf("graph: ReLU gradient of %T", in[0].Data())
}

func reluGradInto[T Float](x []T, gv, out G.Value) error {
	g, ok1 := gv.Data().([]T)
	y, ok2 := out.Data().([]T)
	if !ok1 || !ok2 {
		return fmt.Errorf("graph: ReLU gradient of %T and %T into %T", x, gv.Data(), out.Data())
	}
	g = g[:len(x)]
	for i, v := range x[:len(y)] {
		y[i] = T(reluGrad(float64(v), float64(g[i])))
	}
	return nil
}

// ReLUValue returns relu(x) = max(x, 0) with NaN kept: x when x > 0 or x is NaN, else +0 (also
// for −0). The select works on the bit pattern, which the compiler turns into a conditional move
// (no branch to mispredict on random signs; Go's builtin max is branch-free too but ~2x slower).
func ReLUValue(x float64) float64 {
	b := math.Float64bits(x)
	r := uint64(0) // +0
	if !(x <= 0) { // x > 0 or NaN
		r = b
	}
	return math.Float64frombits(r)
}

// ReLUGradValue returns g·[x > 0] with NaN x kept, as ReLU's gradient node computes it.
func ReLUGradValue(x, g float64) float64 { return reluGrad(x, g) }

// reluGrad returns g·[x > 0] as a select: g when x > 0, +0 when x ≤ 0 (also at −0, and for any
// g), x itself when x is NaN. The selects work on the bit patterns, which the compiler turns into
// conditional moves.
func reluGrad(x, g float64) float64 {
	gb := math.Float64bits(g)
	r := math.Float64bits(x) // kept only when x is NaN
	if x > 0 {
		r = gb
	}
	if x <= 0 {
		r = 0 // +0
	}
	return math.Float64frombits(r)
}
