package layers

import (
	"github.com/affineflow/flow/graph"
	"gonum.org/v1/gonum/mat"
	G "gorgonia.org/gorgonia"
)

// Layer is an invertible map of R^D, data x → noise y, with its log-determinant.
type Layer interface {
	// Dim is D, the width of x and y.
	Dim() int
	// Forward adds y = f(x) (N×D) and log|det ∂f/∂x| per row (length N) to g.
	Forward(g *graph.Graph, x *G.Node) (y, logdet *G.Node)
	// Transform is the numeric twin of Forward.
	Transform(x *mat.Dense) (y *mat.Dense, logdet []float64)
	// Inverse returns x = f⁻¹(y) and log|det ∂f/∂x| at that x, per row.
	Inverse(y *mat.Dense) (x *mat.Dense, logdet []float64)
	// Params are the learnable parameters (their memory is shared with the graph).
	Params() []*graph.Param
	// Pattern is the D×D 0/1 matrix of which outputs may depend on which inputs:
	// P[i][j] = 1 when ∂y_i/∂x_j may be non-zero.
	Pattern() *mat.Dense
}

// DataInitializer is a layer with a data-dependent initialization (ActNorm).
type DataInitializer interface {
	InitFromData(x *mat.Dense)
}

// Conditional is a layer whose map also depends on C context (conditioning) inputs: y = f(x; ctx)
// with ctx an N×C matrix that the layer reads but does not transform, for conditional densities
// p(x | ctx). Its Layer methods use a zero context. The log-determinant is of ∂y/∂x only.
type Conditional interface {
	Layer
	// ContextDim is C (0: the layer takes no context and the *Context methods ignore ctx).
	ContextDim() int
	ForwardContext(g *graph.Graph, x, ctx *G.Node) (y, logdet *G.Node)
	TransformContext(x, ctx *mat.Dense) (y *mat.Dense, logdet []float64)
	InverseContext(y, ctx *mat.Dense) (x *mat.Dense, logdet []float64)
}

// ContextDim returns C of a Conditional layer, 0 for any other layer.
func ContextDim(l Layer) int {
	if c, ok := l.(Conditional); ok {
		return c.ContextDim()
	}
	return 0
}

// ForwardContext is l.ForwardContext for a Conditional layer with context, l.Forward otherwise.
func ForwardContext(l Layer, g *graph.Graph, x, ctx *G.Node) (y, logdet *G.Node) {
	if c, ok := l.(Conditional); ok && c.ContextDim() > 0 && ctx != nil {
		return c.ForwardContext(g, x, ctx)
	}
	return l.Forward(g, x)
}

// TransformContext is l.TransformContext for a Conditional layer with context, l.Transform otherwise.
func TransformContext(l Layer, x, ctx *mat.Dense) (*mat.Dense, []float64) {
	if c, ok := l.(Conditional); ok && c.ContextDim() > 0 && ctx != nil {
		return c.TransformContext(x, ctx)
	}
	return l.Transform(x)
}

// InverseContext is l.InverseContext for a Conditional layer with context, l.Inverse otherwise.
func InverseContext(l Layer, y, ctx *mat.Dense) (*mat.Dense, []float64) {
	if c, ok := l.(Conditional); ok && c.ContextDim() > 0 && ctx != nil {
		return c.InverseContext(y, ctx)
	}
	return l.Inverse(y)
}
