package trainer

import (
	"fmt"

	"github.com/affineflow/flow/graph"
	"github.com/affineflow/flow/internal/nll"
	"gonum.org/v1/gonum/mat"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Evaluator computes log p(x) per row on forward-only graphs (no gradients), one graph per batch
// size, cached and bound to the model's weight memory, so it always sees the current weights.
type Evaluator struct {
	m      Model
	batch  int
	graphs map[int]*evalGraph
}

type evalGraph struct {
	in  *G.Node
	out *G.Value // a cell of its own, not a field: see closeVM
	vm  G.VM
	buf []float64
}

// NewEvaluator returns an evaluator that feeds the model batches of at most batch rows.
func NewEvaluator(m Model, batch int) *Evaluator {
	if batch < 1 {
		batch = 1024
	}
	return &Evaluator{m: m, batch: batch, graphs: map[int]*evalGraph{}}
}

func (e *Evaluator) graph(n, d int) (eg *evalGraph, err error) {
	if eg, ok := e.graphs[n]; ok {
		return eg, nil
	}
	eg = &evalGraph{buf: make([]float64, n*d)}
	err = graph.Try(func() {
		g := graph.New()
		eg.in = g.Input("x", n, d)
		lp := e.m.LogProb(g, eg.in)
		eg.out = new(G.Value)
		G.Read(lp, eg.out)
		eg.vm = G.NewTapeMachine(g.ExprGraph)
	})
	if err != nil {
		return nil, fmt.Errorf("trainer: building the evaluation graph: %w", err)
	}
	e.graphs[n] = eg
	return eg, nil
}

// LogProbs returns log p(x) for every row of x.
func (e *Evaluator) LogProbs(x *mat.Dense) ([]float64, error) {
	n, d := x.Dims()
	out := make([]float64, 0, n)
	for start := 0; start < n; start += e.batch {
		end := min(start+e.batch, n)
		eg, err := e.graph(end-start, d)
		if err != nil {
			return nil, err
		}
		for r := start; r < end; r++ {
			copy(eg.buf[(r-start)*d:(r-start+1)*d], x.RawRowView(r))
		}
		if err := G.Let(eg.in, tensor.New(tensor.WithShape(end-start, d), tensor.WithBacking(eg.buf))); err != nil {
			return nil, err
		}
		if err := eg.vm.RunAll(); err != nil {
			return nil, fmt.Errorf("trainer: evaluation: %w", err)
		}
		out = append(out, (*eg.out).Data().([]float64)...)
		eg.vm.Reset()
	}
	return out, nil
}

// NLL returns the mean negative log-likelihood of the rows of x, in nats.
func (e *Evaluator) NLL(x *mat.Dense) (float64, error) {
	lp, err := e.LogProbs(x)
	if err != nil {
		return 0, err
	}
	return nll.Mean(lp), nil
}

// Close releases the graphs' machines.
func (e *Evaluator) Close() {
	for _, eg := range e.graphs {
		closeVM(eg.vm)
	}
	e.graphs = map[int]*evalGraph{}
}
