package distributions

import (
	"fmt"
	"math/rand"

	"github.com/affineflow/flow/graph"
	"github.com/affineflow/flow/layers"
	"gonum.org/v1/gonum/mat"
	G "gorgonia.org/gorgonia"
)

// CanSampleGraph returns nil when SampleGraph can add the flow's samples to a graph: every layer
// has a graph inverse (layers.CanInvertGraph) and the base has no learnable parameters (the base
// draws enter as an input, so a learnable base's samples would not move with its parameters).
func (f *Flow) CanSampleGraph() error {
	if len(f.Base.Params()) > 0 {
		return fmt.Errorf("distributions: a flow with a learnable base (%T) cannot sample in a graph; use a fixed base", f.Base)
	}
	for k, l := range f.Layers {
		if err := layers.CanInvertGraph(l); err != nil {
			return fmt.Errorf("distributions: layer %d: %w", k, err)
		}
	}
	return nil
}

// SampleGraph adds reparameterized samples to g: for base draws z (N×D, e.g. an input fed from
// Base.Sample) it adds x = f⁻¹(z), through every layer's graph inverse from the last layer to the
// first, and their log-density
//
//	log q(x) = log p_base(z) + Σ_k log|det ∂f_k/∂x_k|   (per row, f_k's Jacobian at its input),
//
// both functions of the parameters whose gradients are the pathwise (reparameterization)
// gradients of a loss on samples (Kingma & Welling 2014; Rezende & Mohamed 2015). The cost per
// layer is one conditioner pass for an inverted (IAF) layer and layers.Chains passes for a
// MAF-direction one (D for MADE, K for K blocks). It is SampleWithLogProb in a graph: the same z
// gives the same rows and log-densities. The flow must pass CanSampleGraph.
func (f *Flow) SampleGraph(g *graph.Graph, z *G.Node) (x, logq *G.Node) {
	return f.SampleGraphContext(g, z, nil)
}

// SampleGraphContext is SampleGraph for a conditional flow at the context ctx (N×C; nil: zero).
func (f *Flow) SampleGraphContext(g *graph.Graph, z, ctx *G.Node) (x, logq *G.Node) {
	logq = f.Base.LogProb(g, z)
	if len(f.Layers) == 0 {
		return z, logq
	}
	x, ld := layers.Sequence(f.Layers).InverseGraph(g, z, ctx)
	return x, G.Must(G.Add(logq, ld))
}

// SampleBase draws n rows from the base: the z that SampleGraph maps to samples.
func (f *Flow) SampleBase(n int, rng *rand.Rand) *mat.Dense { return f.Base.Sample(n, rng) }
