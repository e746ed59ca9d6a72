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
