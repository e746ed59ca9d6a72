package trainer

import (
	"fmt"
	"runtime"

	"github.com/affineflow/flow/graph"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// stepper is the training graph for one batch size: loss = -mean log p(x) (+ penalty), with the
// symbolic gradient of every parameter, on a TapeMachine bound to the parameters' memory.
type stepper struct {
	in     *G.Node
	loss   *G.Value // a cell of its own, not a field: see closeVM
	nodes  G.Nodes
	vm     G.VM
	input  *tensor.Dense
	params []*graph.Param
	grads  [][]float64 // the machine's gradient memory, valid after run
	dirty  bool        // grads hold a run's gradients that no optimizer step has zeroed
}

// sparsity is λ of the soft-mask penalty λ·Σ M (<= 0: none).
func newStepper(m Model, n, d int, sparsity float64) (st *stepper, err error) {
	st = &stepper{params: m.Params()}
	if len(st.params) == 0 {
		return nil, fmt.Errorf("trainer: the model has no parameters")
	}
	err = graph.Try(func() {
		g := graph.New()
		st.in = g.Input("x", n, d)
		lp := m.LogProb(g, st.in)
		loss := G.Must(G.Neg(G.Must(G.Mean(lp))))
		if p, ok := m.(Penalized); ok {
			if pen := p.Penalty(g); pen != nil {
				loss = G.Must(G.Add(loss, pen))
			}
		}
		if ms, ok := m.(MaskSummer); ok && sparsity > 0 {
			if sum := ms.MaskSum(g); sum != nil {
				loss = G.Must(G.Add(loss, G.Must(G.Mul(sum, G.NewConstant(sparsity)))))
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
	st.input = tensor.New(tensor.WithShape(n, d), tensor.WithBacking(make([]float64, n*d)))
	st.grads = make([][]float64, len(st.params))
	return st, nil
}

// run computes the loss and the gradients for the batch already in st.input; st.grads are then
// the machine's own gradient slices (no copy). gorgonia adds each run's gradient to the previous
// one, so a run first zeroes what the last one left unless an optimizer step zeroed it as it
// read it (adam.step; then dirty is false).
func (st *stepper) run() (float64, error) {
	defer st.vm.Reset()
	if st.dirty {
		for _, g := range st.grads {
			zero(g)
		}
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
		st.grads[k] = gv.Data().([]float64)
	}
	return (*st.loss).Data().(float64), nil
}

func (st *stepper) close() { closeVM(st.vm) }

func zero(v []float64) {
	for i := range v {
		v[i] = 0
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
