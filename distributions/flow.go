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
//
// When some layers are layers.Conditional with C context inputs (ContextDim() = C > 0), the flow
// is a conditional density p(x | ctx): the *Context methods pass an N×C context to those layers
// (the others ignore it); the methods without a context use a zero one.
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
	c := f.ContextDim()
	for k, l := range f.Layers {
		if l.Dim() != f.Dim() {
			return fmt.Errorf("distributions: layer %d has width %d, base has %d", k, l.Dim(), f.Dim())
		}
		if lc := layers.ContextDim(l); lc != 0 && lc != c {
			return fmt.Errorf("distributions: layer %d takes %d context inputs, another layer %d", k, lc, c)
		}
	}
	return nil
}

// ContextDim is C, the number of context inputs of the flow's conditional layers (0: none).
func (f *Flow) ContextDim() int {
	c := 0
	for _, l := range f.Layers {
		c = max(c, layers.ContextDim(l))
	}
	return c
}

// checkContext panics unless ctx is nil or n×ContextDim().
func (f *Flow) checkContext(ctx *mat.Dense, n int) {
	if ctx == nil {
		return
	}
	if r, c := ctx.Dims(); r != n || c != f.ContextDim() {
		panic(fmt.Sprintf("distributions: context is %d×%d, want %d×%d", r, c, n, f.ContextDim()))
	}
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
func (f *Flow) LogProb(g *graph.Graph, x *G.Node) *G.Node { return f.LogProbContext(g, x, nil) }

// LogProbContext adds log p(x | ctx) per row of x (N×D) to g, ctx (N×C) the context node; nil
// means a zero context.
func (f *Flow) LogProbContext(g *graph.Graph, x, ctx *G.Node) *G.Node {
	var total *G.Node
	for _, l := range f.Layers {
		var ld *G.Node
		x, ld = layers.ForwardContext(l, g, x, ctx)
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

// LogProbs returns log p(x) per row, numerically, for any number of rows:
//
//	log p(x) = log p_base(f(x)) + Σ_layers log|det ∂f_k/∂x|.
//
// Rows are independent, so they run as row blocks (parallelBlocks: their size depends on the
// number of rows and the flow's width alone, Flow.width) on up to GOMAXPROCS goroutines, each
// block through every layer (the layers' numeric paths only read their parameters). The result
// does not depend on GOMAXPROCS, bit for bit.
func (f *Flow) LogProbs(x *mat.Dense) []float64 { return f.LogProbsContext(x, nil) }

// LogProbsContext returns log p(x | ctx) per row, ctx holding one context row (C values) per row
// of x; nil means a zero context.
func (f *Flow) LogProbsContext(x, ctx *mat.Dense) []float64 {
	n, d := x.Dims()
	f.checkContext(ctx, n)
	total := make([]float64, n)
	parallelBlocks(n, f.width(), func(r0, r1 int) {
		f.logProbs(x.Slice(r0, r1, 0, d).(*mat.Dense), rowsOf(ctx, r0, r1), total[r0:r1])
	})
	return total
}

// rowsOf returns rows [r0, r1) of m (nil for nil).
func rowsOf(m *mat.Dense, r0, r1 int) *mat.Dense {
	if m == nil {
		return nil
	}
	_, c := m.Dims()
	return m.Slice(r0, r1, 0, c).(*mat.Dense)
}

func (f *Flow) logProbs(x, ctx *mat.Dense, total []float64) {
	for _, l := range f.Layers {
		var ld []float64
		x, ld = layers.TransformContext(l, x, ctx)
		for i, v := range ld {
			total[i] += v
		}
	}
	for i, v := range f.Base.LogProbs(x) {
		total[i] += v
	}
}

// Sample draws n rows from the flow.
func (f *Flow) Sample(n int, rng *rand.Rand) *mat.Dense {
	x, _ := f.SampleWithLogProb(n, rng)
	return x
}

// SampleWithLogProb draws n rows and returns their log-density, computed during the inversion
// (no second pass). The base draws come first, in order, from rng; the inversions then run as row
// blocks (parallelBlocks) on up to GOMAXPROCS goroutines. The result does not depend on
// GOMAXPROCS, bit for bit.
func (f *Flow) SampleWithLogProb(n int, rng *rand.Rand) (*mat.Dense, []float64) {
	return f.sample(n, nil, rng)
}

// SampleContext draws one row per row of ctx (N×C) from p(x | ctx).
func (f *Flow) SampleContext(ctx *mat.Dense, rng *rand.Rand) *mat.Dense {
	x, _ := f.SampleWithLogProbContext(ctx, rng)
	return x
}

// SampleWithLogProbContext draws one row per row of ctx and returns log p(x | ctx) of each.
func (f *Flow) SampleWithLogProbContext(ctx *mat.Dense, rng *rand.Rand) (*mat.Dense, []float64) {
	n, _ := ctx.Dims()
	f.checkContext(ctx, n)
	return f.sample(n, ctx, rng)
}

func (f *Flow) sample(n int, ctx *mat.Dense, rng *rand.Rand) (*mat.Dense, []float64) {
	y := f.Base.Sample(n, rng)
	lp := f.Base.LogProbs(y)
	_, d := y.Dims()
	parallelBlocks(n, blockRows, func(r0, r1 int) {
		x := y.Slice(r0, r1, 0, d).(*mat.Dense)
		c := rowsOf(ctx, r0, r1)
		for k := len(f.Layers) - 1; k >= 0; k-- {
			var ld []float64
			x, ld = layers.InverseContext(f.Layers[k], x, c)
			for i, v := range ld {
				lp[r0+i] += v
			}
		}
		y.Slice(r0, r1, 0, d).(*mat.Dense).Copy(x)
	})
	return y, lp
}

// InitFromData runs x through the layers, letting each DataInitializer (ActNorm) set itself from
// the activations it receives.
func (f *Flow) InitFromData(x *mat.Dense) { f.InitFromDataContext(x, nil) }

// InitFromDataContext is InitFromData for a conditional flow, with one context row per row of x.
func (f *Flow) InitFromDataContext(x, ctx *mat.Dense) {
	for _, l := range f.Layers {
		if di, ok := l.(layers.DataInitializer); ok {
			di.InitFromData(x)
		}
		x, _ = layers.TransformContext(l, x, ctx)
	}
}
