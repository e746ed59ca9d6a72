package trainer

import (
	"github.com/affineflow/flow/graph"
	G "gorgonia.org/gorgonia"
)

// Model is a density the trainer can fit: it adds log p(x) per row of x (N×D) to a graph.
type Model interface {
	LogProb(g *graph.Graph, x *G.Node) *G.Node
	Params() []*graph.Param
}

// Penalized is a Model with a regularizer (e.g. a soft mask's sparsity penalty λ·Σ M): a scalar
// node added to the mean NLL in the training loss only.
type Penalized interface {
	Penalty(g *graph.Graph) *G.Node
}
