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

// MaskSummer is a Model with learnable soft masks (e.g. distributions.Flow): MaskSum adds Σ M
// over its soft masks to g as a scalar node (nil when it has none). The training loss then
// includes the sparsity penalty Settings.Sparsity·MaskSum.
type MaskSummer interface {
	MaskSum(g *graph.Graph) *G.Node
}
