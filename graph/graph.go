package graph

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Graph is a gorgonia expression graph plus the parameter nodes created in it. Each Param has at
// most one node per Graph, bound to the Param's own tensor (shared memory, no copy).
type Graph struct {
	*G.ExprGraph
	nodes  map[*Param]*G.Node
	params []*Param
	consts int
	// noGrad holds the data inputs and constants: leaves that never need a gradient, so the
	// fused ops skip the backward work for them.
	noGrad map[*G.Node]bool
	// Plain makes the layers build every map from gorgonia's own ops instead of the fused ones
	// (Dense, Hadamard): the reference path the fused path is tested against.
	Plain bool
}

// New returns an empty graph.
func New() *Graph {
	return &Graph{ExprGraph: G.NewGraph(), nodes: map[*Param]*G.Node{}, noGrad: map[*G.Node]bool{}}
}

// Param returns the node of p in g, creating it on first use. The node's value is p's tensor.
func (g *Graph) Param(p *Param) *G.Node {
	if n, ok := g.nodes[p]; ok {
		return n
	}
	name := fmt.Sprintf("p%d_%s", len(g.params), p.Name)
	var n *G.Node
	if s := p.T.Shape(); len(s) == 1 {
		n = G.NewVector(g.ExprGraph, tensor.Float64, G.WithShape(s...), G.WithName(name), G.WithValue(p.T))
	} else {
		n = G.NewMatrix(g.ExprGraph, tensor.Float64, G.WithShape(s...), G.WithName(name), G.WithValue(p.T))
	}
	g.nodes[p] = n
	g.params = append(g.params, p)
	return n
}

// Params returns the parameters that have nodes in g, in creation order.
func (g *Graph) Params() []*Param { return g.params }

// Node returns p's node in g, or nil when p is not in g.
func (g *Graph) Node(p *Param) *G.Node { return g.nodes[p] }

// Nodes returns the nodes of ps, in the same order; it panics when one is not in g.
func (g *Graph) Nodes(ps []*Param) G.Nodes {
	out := make(G.Nodes, len(ps))
	for i, p := range ps {
		n := g.nodes[p]
		if n == nil {
			panic(fmt.Sprintf("graph: param %s has no node in this graph", p.Name))
		}
		out[i] = n
	}
	return out
}

// Input returns a new rows×cols input node (its value is set with G.Let before each run).
func (g *Graph) Input(name string, rows, cols int) *G.Node {
	n := G.NewMatrix(g.ExprGraph, tensor.Float64, G.WithShape(rows, cols), G.WithName(name))
	g.noGrad[n] = true
	return n
}

// Const returns a constant matrix node holding a copy of m.
func (g *Graph) Const(m mat.Matrix) *G.Node {
	r, c := m.Dims()
	data := make([]float64, r*c)
	dst := mat.NewDense(r, c, data)
	dst.Copy(m)
	g.consts++
	n := G.NewMatrix(g.ExprGraph, tensor.Float64, G.WithShape(r, c),
		G.WithName(fmt.Sprintf("c%d", g.consts)),
		G.WithValue(tensor.New(tensor.WithShape(r, c), tensor.WithBacking(data))))
	g.noGrad[n] = true
	return n
}

// ConstVec returns a constant vector node holding a copy of v.
func (g *Graph) ConstVec(v []float64) *G.Node {
	data := append([]float64(nil), v...)
	g.consts++
	n := G.NewVector(g.ExprGraph, tensor.Float64, G.WithShape(len(v)),
		G.WithName(fmt.Sprintf("c%d", g.consts)),
		G.WithValue(tensor.New(tensor.WithShape(len(v)), tensor.WithBacking(data))))
	g.noGrad[n] = true
	return n
}

// Scalar returns a constant scalar node.
func (g *Graph) Scalar(v float64) *G.Node {
	return G.NewConstant(v)
}
