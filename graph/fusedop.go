package graph

import (
	"fmt"
	"hash"
	"sync/atomic"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// The fused ops (fusedense.go, hadamard.go, affine.go) own their output buffers: a buffer is allocated on the
// first run of the machine and the same tensor is returned by every later run, so a training step
// allocates nothing for them. The tape machine's Reset only forgets its registers; the buffers
// stay with the op, one op per node.
//
// Every dependency is a child node, so the VM orders and keeps alive what an op reads; an op's
// private side buffers (the pre-activation gradient, the bias gradient) are read only by the ops
// that take its node as a child.

// opBase is the boilerplate of the fused ops. gorgonia merges two nodes whose op hashes and
// children are equal; each fused op owns buffers, so the hash carries a process-unique id.
type opBase struct {
	id   uint64
	name string
}

var opIDs atomic.Uint64

func newOpBase(name string) opBase { return opBase{id: opIDs.Add(1), name: name} }

func (o opBase) String() string        { return o.name }
func (o opBase) WriteHash(h hash.Hash) { fmt.Fprintf(h, "%s#%d", o.name, o.id) }
func (o opBase) Hashcode() uint32      { return hashOf(o) }
func (opBase) ReturnsPtr() bool        { return false }
func (opBase) CallsExtern() bool       { return false }
func (opBase) OverwritesInput() int    { return -1 }

// Types of the fused ops' operands: float64 or float32 matrices and vectors of one dtype.
var (
	dtypeVar = hm.TypeVariable('a')
	matType  = &G.TensorType{Dims: 2, Of: dtypeVar}
	vecType  = &G.TensorType{Dims: 1, Of: dtypeVar}
)

// Float is the element type of a graph's values.
type Float interface{ ~float32 | ~float64 }

// dtypeOf is the tensor dtype of T.
func dtypeOf[T Float]() tensor.Dtype {
	var z T
	if _, ok := any(z).(float32); ok {
		return tensor.Float32
	}
	return tensor.Float64
}

// buffer returns *t, allocating an r×c (c < 0: length-r vector) tensor of T on first use.
func buffer[T Float](t **tensor.Dense, r, c int) *tensor.Dense {
	if *t == nil {
		if c < 0 {
			*t = tensor.New(tensor.WithShape(r), tensor.Of(dtypeOf[T]()))
		} else {
			*t = tensor.New(tensor.WithShape(r, c), tensor.Of(dtypeOf[T]()))
		}
	}
	return *t
}

// data returns the values of t.
func data[T Float](t *tensor.Dense) []T {
	if d, ok := values[T](t); ok {
		return d
	}
	return t.Data().([]T) // panics, naming the type
}

// values returns the values of v when it is a dense tensor of T, without Data's slice header
// built through reflect (reflect.SliceOf was 1.5% of a single-core D=8 step in the ops' calls).
func values[T Float](v G.Value) ([]T, bool) {
	t, ok := v.(*tensor.Dense)
	if !ok || t.Dtype() != dtypeOf[T]() || t.IsScalar() { // Data's way (a scalar's is no slice)
		d, ok := v.Data().([]T)
		return d, ok
	}
	if t.Dtype() == tensor.Float64 {
		return any(t.Float64s()).([]T), true
	}
	return any(t.Float32s()).([]T), true
}

// matrixData returns the data and shape of a matrix value of T.
func matrixData[T Float](v G.Value, what string) ([]T, int, int, error) {
	d, ok := values[T](v)
	s := v.Shape()
	if !ok || len(s) != 2 {
		return nil, 0, 0, fmt.Errorf("graph: %s must be a %v matrix, got %v of %T", what, dtypeOf[T](), s, v.Data())
	}
	return d, s[0], s[1], nil
}

// vectorData returns the data of a value of n values of T.
func vectorData[T Float](v G.Value, n int, what string) ([]T, error) {
	d, ok := values[T](v)
	if !ok || len(d) != n {
		return nil, fmt.Errorf("graph: %s must be %d %v values, got %v of %T", what, n, dtypeOf[T](), v.Shape(), v.Data())
	}
	return d, nil
}

// isFloat32 reports whether n holds float32 values.
func isFloat32(n *G.Node) bool { return n.Dtype() == tensor.Float32 }

// pickOp returns a buffer filled by the op of its only child: the second and third outputs of a
// backward op (gorgonia ops have one output each). It is never differentiated.
type pickOp struct {
	opBase
	buf   func() *tensor.Dense
	shape tensor.Shape
	dims  int
}

func newPick(name string, shape tensor.Shape, buf func() *tensor.Dense) pickOp {
	return pickOp{opBase: newOpBase(name), buf: buf, shape: shape, dims: len(shape)}
}

// pick adds a pickOp node that returns buf() once back has run, or returns nil when !want (the
// gradient of an input nobody asked for).
func pick(want bool, name string, shape tensor.Shape, back *G.Node, buf func() *tensor.Dense) (*G.Node, error) {
	if !want {
		return nil, nil
	}
	return G.ApplyOp(newPick(name, shape, buf), back)
}

func (pickOp) Arity() int { return 1 }
func (o pickOp) Type() hm.Type {
	out := matType
	if o.dims == 1 {
		out = vecType
	}
	return hm.NewFnType(matType, out) // the child is the backward op's matrix output
}
func (o pickOp) InferShape(...G.DimSizer) (tensor.Shape, error) { return o.shape.Clone(), nil }
func (o pickOp) Do(...G.Value) (G.Value, error) {
	if b := o.buf(); b != nil {
		return b, nil
	}
	return nil, fmt.Errorf("graph: %s read before its op ran", o.name)
}
func (pickOp) DiffWRT(int) []bool { return []bool{false} }
func (o pickOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, fmt.Errorf("graph: %s is not differentiable", o.name)
}
