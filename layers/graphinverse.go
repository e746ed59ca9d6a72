package layers

import (
	"fmt"

	"github.com/affineflow/flow/graph"
	"gonum.org/v1/gonum/mat"
	G "gorgonia.org/gorgonia"
)

// GraphInverter is a layer whose inverse can be added to a graph: samples x = f⁻¹(y) that carry
// gradients with respect to the parameters (reparameterized sampling, variational fitting), and
// the density direction of an Inverted layer. InverseGraph adds x (N×D) and log|det ∂f/∂x| at that
// x (per row) for y (N×D) and the context ctx (N×C; nil: zero, or no context).
type GraphInverter interface {
	InverseGraph(g *graph.Graph, y, ctx *G.Node) (x, logdet *G.Node)
}

// CanInvertGraph returns nil when l's inverse can be added to a graph, and otherwise an error
// naming what cannot (a layer type without a graph inverse, a spline transform).
func CanInvertGraph(l Layer) error {
	switch v := l.(type) {
	case *AffineInjection:
		return v.Elementwise.graphInvertible()
	case *Injection:
		return v.Elementwise.graphInvertible()
	case Sequence:
		for _, sub := range v {
			if err := CanInvertGraph(sub); err != nil {
				return err
			}
		}
		return nil
	case GraphInverter: // Inverted, Permutation, ElementwiseAffine
		return nil
	}
	return fmt.Errorf("layers: a %T layer has no graph inverse", l)
}

// graphInvertible returns nil for the affine map, which fixedPointInverse inverts in a graph,
// and an error for a spline, which has no graph inverse.
func (t Transform) graphInvertible() error {
	if t.IsSpline() {
		return fmt.Errorf("layers: a spline layer has no graph inverse (only the affine map has)")
	}
	return nil
}

// fixedPointInverse adds the inverse of an autoregressive affine map y = x ⊙ exp(s(x)) + t(x) to g
// by the iteration x ← (y − t(x)) ⊙ exp(−s(x)) from x = 0. Where output i depends only on inputs
// of an earlier order, pass k makes every dimension exact whose longest chain of dependencies has
// k − 1 links; after passes = that longest chain + 1 (Chains) the iterate is f⁻¹(y) itself, as a
// function of y and the parameters, so its gradients are the inverse's. The last pass's s is
// s(x) at the result, and log|det ∂f/∂x| = Σ s. Cost: passes conditioner evaluations (D for a
// full autoregressive layer, the number of blocks for a block-triangular one).
func fixedPointInverse(g *graph.Graph, y *G.Node, passes int, st func(x *G.Node) (s, t *G.Node)) (x, logdet *G.Node) {
	shape := y.Shape()
	x = g.Const(mat.NewDense(shape[0], shape[1], nil))
	var s *G.Node
	for range passes {
		var t *G.Node
		s, t = st(x)
		x = G.Must(G.HadamardProd(G.Must(G.Sub(y, t)), G.Must(G.Exp(G.Must(G.Neg(s))))))
	}
	return x, graph.RowSum(s)
}

// Chains returns the number of passes a fixed-point inverse needs for the D×D 0/1 dependency
// matrix dep (dep[i][j] = 1: output i depends on input j; acyclic): 1 + the number of links of
// its longest chain of dependencies (1 for no dependencies, D for a full autoregressive order).
func Chains(dep mat.Matrix) int {
	d, _ := dep.Dims()
	depth := make([]int, d)
	for changed := true; changed; {
		changed = false
		for i := range d {
			for j := range d {
				if i != j && dep.At(i, j) != 0 && depth[j]+1 > depth[i] {
					depth[i], changed = depth[j]+1, true
				}
			}
		}
	}
	most := 0
	for _, v := range depth {
		most = max(most, v)
	}
	return most + 1
}

// withContext returns [x, ctx] for a conditioner with c context inputs (ctx nil: zero).
func withContext(g *graph.Graph, x, ctx *G.Node, c int) *G.Node {
	if c == 0 {
		return x
	}
	if ctx == nil {
		ctx = g.Const(mat.NewDense(x.Shape()[0], c, nil))
	}
	return G.Must(G.Concat(1, x, ctx))
}

// InverseGraph adds the inverse by fixedPointInverse: one conditioner pass per link of the
// longest dependency chain, plus one (D passes for MADE, K for K blocks). Affine map only.
func (l *AffineInjection) InverseGraph(g *graph.Graph, y, ctx *G.Node) (x, logdet *G.Node) {
	if err := l.Elementwise.graphInvertible(); err != nil {
		panic(err)
	}
	d := l.Dim()
	return fixedPointInverse(g, y, Chains(l.Dependency()), func(x *G.Node) (s, t *G.Node) {
		raw := l.Net.Node(g, withContext(g, x, ctx, l.Context))
		return graph.SoftClamp(graph.Cols(raw, 0, d), l.Clamp), graph.Cols(raw, d, 2*d)
	})
}

// InverseGraph adds the inverse by fixedPointInverse over the mask's longest dependency chain.
// Affine map only.
func (l *Injection) InverseGraph(g *graph.Graph, y, ctx *G.Node) (x, logdet *G.Node) {
	if err := l.Elementwise.graphInvertible(); err != nil {
		panic(err)
	}
	return fixedPointInverse(g, y, Chains(l.Pattern()), func(x *G.Node) (s, t *G.Node) {
		return l.affineNodes(g, x, ctx)
	})
}

// InverseGraph adds x = y·Pᵀ and a zero log-det.
func (l *Permutation) InverseGraph(g *graph.Graph, y, _ *G.Node) (x, logdet *G.Node) {
	return G.Must(G.Mul(y, g.Const(l.matrix().T()))), g.Zeros(y.Shape()[0])
}

// InverseGraph adds x = y ⊙ exp(−LogScale) + Shift and Σ LogScale.
func (l *ElementwiseAffine) InverseGraph(g *graph.Graph, y, _ *G.Node) (x, logdet *G.Node) {
	shift, ls := l.nodes(g)
	x = graph.AddRow(graph.MulRow(y, G.Must(G.Exp(G.Must(G.Neg(ls))))), shift)
	return x, g.Fill(G.Must(G.Sum(ls)), y.Shape()[0])
}

// InverseGraph runs the layers' graph inverses from the last to the first.
func (s Sequence) InverseGraph(g *graph.Graph, y, ctx *G.Node) (x, logdet *G.Node) {
	x = y
	for k := len(s) - 1; k >= 0; k-- {
		var ld *G.Node
		x, ld = s[k].(GraphInverter).InverseGraph(g, x, ctx)
		if logdet == nil {
			logdet = ld
		} else {
			logdet = G.Must(G.Add(logdet, ld))
		}
	}
	return x, logdet
}
