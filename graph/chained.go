package graph

import (
	"errors"
	"fmt"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// An element-wise injection (Affine, Spline) has two outputs, y (N×D) and the log-det (N), which
// gorgonia ops cannot return together: they are two nodes in a chain, logdet = core(x, raw) and
// y = pick(logdet). The core computes both in one pass, y into a buffer the pick node returns,
// so that x and raw have one consumer each and their gradients are single nodes, never summed.
// Backpropagation visits y before its child logdet: y's gradient node hands ∂L/∂y to the core's
// backward node (chained.gy) and contributes a zero to ∂L/∂logdet (y does not depend on logdet's
// value).

// chained is the part of a core op's state that its y node shares.
type chained[T Float] struct {
	gy   *G.Node       // ∂L/∂y, set when y is differentiated (before the log-det)
	y    *tensor.Dense // filled by the core
	zero *tensor.Dense // y's contribution to ∂L/∂logdet
	name string        // the core's name, for the nodes' names and messages
}

// yNode adds y = pick(logdet) of shape to the graph.
func (c *chained[T]) yNode(logdet *G.Node, shape tensor.Shape) *G.Node {
	return G.Must(G.ApplyOp(chainYOp[T]{opBase: newOpBase(c.name + "Y"), c: c, shape: shape.Clone()}, logdet))
}

type (
	// chainYOp(logdet) = y.
	chainYOp[T Float] struct {
		opBase
		c     *chained[T]
		shape tensor.Shape
	}
	// chainZeroOp(∂L/∂y) is a zero vector of N values.
	chainZeroOp[T Float] struct {
		opBase
		c *chained[T]
		n int
	}
)

func (chainYOp[T]) Arity() int                                       { return 1 }
func (chainZeroOp[T]) Arity() int                                    { return 1 }
func (chainYOp[T]) Type() hm.Type                                    { return hm.NewFnType(vecType, matType) }
func (chainZeroOp[T]) Type() hm.Type                                 { return hm.NewFnType(matType, vecType) }
func (o chainYOp[T]) InferShape(...G.DimSizer) (tensor.Shape, error) { return o.shape.Clone(), nil }
func (o chainZeroOp[T]) InferShape(...G.DimSizer) (tensor.Shape, error) {
	return tensor.Shape{o.n}, nil
}

func (o chainYOp[T]) Do(...G.Value) (G.Value, error) {
	if o.c.y == nil {
		return nil, errors.New("graph: " + o.c.name + " output read before the injection ran")
	}
	return o.c.y, nil
}

func (o chainZeroOp[T]) Do(...G.Value) (G.Value, error) {
	z := buffer[T](&o.c.zero, o.n, -1)
	clear(data[T](z)) // a consumer may have summed into it in place (unsafe Add)
	return z, nil
}

func (chainYOp[T]) DiffWRT(int) []bool    { return []bool{true} }
func (chainZeroOp[T]) DiffWRT(int) []bool { return []bool{false} }

func (o chainYOp[T]) SymDiff(_ G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	o.c.gy = grad
	z, err := G.ApplyOp(chainZeroOp[T]{opBase: newOpBase(o.c.name + "Zero"), c: o.c, n: o.shape[0]}, grad)
	if err != nil {
		return nil, err
	}
	return G.Nodes{z}, nil
}

func (o chainZeroOp[T]) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, fmt.Errorf("graph: %s is not differentiable", o.name)
}
