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

// ReLU returns max(x, 0) elementwise as one fused op, with gradient g·[x > 0]. gorgonia's
// Rectify is x·(x ≥ 0): a comparison tensor and a product forward, two more passes backward, each
// a fresh allocation; ReLU is one branch-free pass each way (measured ~10% of a MAF training step
// at D=8).
func ReLU(x *G.Node) *G.Node { return G.Must(G.ApplyOp(reluOp{}, x)) }

// reluOp is max(x, 0); reluGradOp(x, g) is g·[x > 0].
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

func hashOf(o G.Op) uint32 {
	h := fnv.New32a()
	o.WriteHash(h)
	return h.Sum32()
}

// floats returns the float64 data of a value.
func floats(v G.Value) ([]float64, error) {
	if d, ok := v.Data().([]float64); ok {
		return d, nil
	}
	return nil, fmt.Errorf("graph: ReLU needs float64 values, got %T", v.Data())
}

func newLike(v G.Value) *tensor.Dense {
	return tensor.New(tensor.WithShape(v.Shape().Clone()...), tensor.Of(tensor.Float64))
}

func (o reluOp) Do(in ...G.Value) (G.Value, error) { return o.UsePreallocDo(newLike(in[0]), in...) }

func (reluOp) UsePreallocDo(out G.Value, in ...G.Value) (G.Value, error) {
	x, err := floats(in[0])
	if err != nil {
		return nil, err
	}
	y, err := floats(out)
	if err != nil {
		return nil, err
	}
	for i, v := range x[:len(y)] {
		b := math.Float64bits(v)
		y[i] = math.Float64frombits(b &^ uint64(int64(b)>>63)) // 0 when the sign bit is set
	}
	return out, nil
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
	x, err := floats(in[0])
	if err != nil {
		return nil, err
	}
	g, err := floats(in[1])
	if err != nil {
		return nil, err
	}
	y, err := floats(out)
	if err != nil {
		return nil, err
	}
	g = g[:len(x)]
	for i, v := range x[:len(y)] {
		// all ones when v > 0 as a signed integer (a positive float), else zero: branch-free
		mask := uint64(-int64(math.Float64bits(v)) >> 63)
		y[i] = math.Float64frombits(math.Float64bits(g[i]) & mask)
	}
	return out, nil
}
