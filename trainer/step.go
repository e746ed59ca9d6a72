package trainer

import (
	"fmt"
	"runtime"

	"github.com/affineflow/flow/graph"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// stepper is the training graph for one batch size: loss = -mean log p(x) (+ penalty), with the
// symbolic gradient of every parameter, on a TapeMachine bound to the parameters' memory (in a
// float32 graph: to float32 copies of it, refreshed before every run).
type stepper struct {
	g       *graph.Graph
	in      *G.Node
	loss    *G.Value // a cell of its own, not a field: see closeVM
	nodes   G.Nodes
	vm      G.VM
	input   *tensor.Dense // the batch, float64 or float32 as the graph
	params  []*graph.Param
	grads   [][]float64 // the machine's gradient memory after run (float64 graph)
	grads32 [][]float32 // the same in a float32 graph
	dirty   bool        // the gradients hold a run's values that no optimizer step has zeroed
}

// sparsity is λ of the soft-mask penalty λ·Σ M (<= 0: none); private gives the graph copies of
// the parameters (graph.Graph.Private: it runs beside another graph of the same model).
func newStepper(m Model, n, d int, sparsity float64, f32, private bool) (st *stepper, err error) {
	st = &stepper{params: m.Params()}
	if len(st.params) == 0 {
		return nil, fmt.Errorf("trainer: the model has no parameters")
	}
	err = graph.Try(func() {
		g := graph.New()
		g.Float32, g.Private = f32, private
		st.g = g
		st.in = g.Input("x", n, d)
		lp := m.LogProb(g, st.in)
		loss := G.Must(G.Neg(G.Must(G.Mean(lp))))
		if ms, ok := m.(MaskSummer); ok && sparsity > 0 {
			if sum := ms.MaskSum(g); sum != nil {
				loss = G.Must(G.Add(loss, G.Must(G.Mul(sum, g.Scalar(sparsity)))))
			}
		}
		// every parameter must be in the graph (a frozen or unused one would have no gradient)
		st.nodes = g.Nodes(st.params)
		if _, err := G.Grad(loss, st.nodes...); err != nil {
			panic(err)
		}
		st.loss = new(G.Value)
		G.Read(loss, st.loss)
		st.vm = G.NewTapeMachine(g.ExprGraph, G.BindDualValues(st.nodes...))
	})
	if err != nil {
		return nil, fmt.Errorf("trainer: building the training graph: %w", err)
	}
	if f32 {
		st.input = tensor.New(tensor.WithShape(n, d), tensor.WithBacking(make([]float32, n*d)))
		st.grads32 = make([][]float32, len(st.params))
	} else {
		st.input = tensor.New(tensor.WithShape(n, d), tensor.WithBacking(make([]float64, n*d)))
		st.grads = make([][]float64, len(st.params))
	}
	return st, nil
}

// setRow puts row r of the batch.
func (st *stepper) setRow(r int, row []float64) {
	switch buf := st.input.Data().(type) {
	case []float64:
		copy(buf[r*len(row):(r+1)*len(row)], row)
	case []float32:
		buf = buf[r*len(row) : (r+1)*len(row)]
		for j, v := range row {
			buf[j] = float32(v)
		}
	}
}

// run computes the loss and the gradients for the batch already in st.input; st.grads (or
// grads32) are then the machine's own gradient slices (no copy). gorgonia adds each run's
// gradient to the previous one, so a run first zeroes what the last one left unless an optimizer
// step zeroed it as it read it (adam.step; then dirty is false).
// The graph's copies of the parameters (float32 or private) are the caller's to refresh
// (graph.Graph.SyncSpans, shards.run): every shard's before any of them runs.
func (st *stepper) run() (float64, error) {
	defer st.vm.Reset()
	if st.dirty {
		zeroAll(st.grads)
		zeroAll(st.grads32)
	}
	if err := G.Let(st.in, st.input); err != nil {
		return 0, err
	}
	st.dirty = true
	if err := st.vm.RunAll(); err != nil {
		return 0, err
	}
	for k, n := range st.nodes {
		gv, err := n.Grad()
		if err != nil {
			return 0, fmt.Errorf("gradient of %s: %w", st.params[k].Name, err)
		}
		switch d := gv.Data().(type) {
		case []float64:
			st.grads[k] = d
		case []float32:
			st.grads32[k] = d
		}
	}
	switch v := (*st.loss).Data().(type) {
	case float32:
		return float64(v), nil
	default:
		return v.(float64), nil
	}
}

func (st *stepper) close() { closeVM(st.vm) }

func zeroAll[T graph.Float](vs [][]T) {
	for _, v := range vs {
		clear(v)
	}
}

// closeVM closes a machine and clears the runtime finalizer gorgonia's NewTapeMachine sets on it
// (vm_tape.go:81). Go never collects a reference cycle that contains an object with a finalizer,
// so a machine still carrying one would keep its whole graph alive if anything in that graph
// pointed back at it: a G.Read target that is a field of the struct holding the machine is such a
// pointer. The read targets here are cells of their own, and the finalizer goes with Close.
func closeVM(vm G.VM) {
	if vm == nil {
		return
	}
	vm.Close()
	runtime.SetFinalizer(vm, nil)
}
