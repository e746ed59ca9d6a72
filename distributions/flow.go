package distributions

import (
	"fmt"
	"math/rand"

	"github.com/affineflow/flow/graph"
	"github.com/affineflow/flow/layers"
	"gonum.org/v1/gonum/mat"
	G "gorgonia.org/gorgonia"
)

// Flow is the density of x = f⁻¹(y), y ~ Base, with f = Layers[len-1] ∘ … ∘ Layers[0].
type Flow struct {
	Base   Base
	Layers []layers.Layer
}

// Dim returns D.
func (f *Flow) Dim() int { return f.Base.Dim() }

// Validate checks that every layer has the base's width.
func (f *Flow) Validate() error {
	if f.Base == nil {
		return fmt.Errorf("distributions: flow has no base")
	}
	for k, l := range f.Layers {
		if l.Dim() != f.Dim() {
			return fmt.Errorf("distributions: layer %d has width %d, base has %d", k, l.Dim(), f.Dim())
		}
	}
	return nil
}

// Params returns the learnable parameters of the base and of every layer.
func (f *Flow) Params() []*graph.Param {
	ps := append([]*graph.Param(nil), f.Base.Params()...)
	for _, l := range f.Layers {
		ps = append(ps, l.Params()...)
	}
	return ps
}

// LogProb adds log p(x) per row of x (N×D) to g.
func (f *Flow) LogProb(g *graph.Graph, x *G.Node) *G.Node {
	var total *G.Node
	for _, l := range f.Layers {
		var ld *G.Node
		x, ld = l.Forward(g, x)
		if total == nil {
			total = ld
		} else {
			total = G.Must(G.Add(total, ld))
		}
	}
	lp := f.Base.LogProb(g, x)
	if total == nil {
		return lp
	}
	return G.Must(G.Add(lp, total))
}

// LogProbs returns log p(x) per row, numerically, for any number of rows.
func (f *Flow) LogProbs(x *mat.Dense) []float64 {
	n, _ := x.Dims()
	total := make([]float64, n)
	for _, l := range f.Layers {
		var ld []float64
		x, ld = l.Transform(x)
		for i, v := range ld {
			total[i] += v
		}
	}
	for i, v := range f.Base.LogProbs(x) {
		total[i] += v
	}
	return total
}

// Sample draws n rows from the flow.
func (f *Flow) Sample(n int, rng *rand.Rand) *mat.Dense {
	x, _ := f.SampleWithLogProb(n, rng)
	return x
}

// SampleWithLogProb draws n rows and returns their log-density, computed during the inversion
// (no second pass).
func (f *Flow) SampleWithLogProb(n int, rng *rand.Rand) (*mat.Dense, []float64) {
	y := f.Base.Sample(n, rng)
	lp := f.Base.LogProbs(y)
	for k := len(f.Layers) - 1; k >= 0; k-- {
		var ld []float64
		y, ld = f.Layers[k].Inverse(y)
		for i, v := range ld {
			lp[i] += v
		}
	}
	return y, lp
}

// InitFromData runs x through the layers, letting each DataInitializer (ActNorm) set itself from
// the activations it receives.
func (f *Flow) InitFromData(x *mat.Dense) {
	for _, l := range f.Layers {
		if di, ok := l.(layers.DataInitializer); ok {
			di.InitFromData(x)
		}
		x, _ = l.Transform(x)
	}
}
