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
//
// The gradients are read where the machine computed them (each gradient node's value after the
// run), not from dual values: gorgonia's BindDualValues adds every gradient into a second array on
// every run (3% of a float64 and 6% of a float32 D=63 step) and makes the caller zero it between
// runs, and G.Read would copy each of them. The memory read is the gradient nodes' own, which the
// next run overwrites and which parameters may share (the gradient of b in x + b is the incoming
// gradient itself): no one writes to it. A node the machine does not run (gorgonia may merge equal
// nodes) is caught on the first run: it has no value.
type stepper struct {
	g       *graph.Graph
	in      *G.Node
	loss    *G.Value // a cell of its own, not a field: see closeVM
	gnodes  G.Nodes  // the parameters' gradient nodes
	vm      G.VM
	input   *tensor.Dense // the batch, float64 or float32 as the graph
	in64    []float64     // its backing slice (Data() builds its slice header through reflect:
	in32    []float32     // 5% of a single-core D=8 step when setRow called it for every row)
	params  []*graph.Param
	lens    []int       // the parameters' sizes (read before any run: a run may transpose a tensor in place)
	grads   [][]float64 // the gradient nodes' memory after run (float64 graph): read only
	grads32 [][]float32 // the same in a float32 graph
}

// sparsity is λ of the soft-mask penalty λ·Σ M (<= 0: none); private gives the graph copies of
// the parameters (graph.Graph.Private: it runs beside another graph of the same model); beside is
// how many graphs run at once, this one included (graph.Graph.Beside).
func newStepper(m Model, n, d int, sparsity float64, f32, private bool, beside int) (st *stepper, err error) {
	st = &stepper{params: m.Params()}
	for _, p := range st.params {
		st.lens = append(st.lens, p.Len())
	}
	if len(st.params) == 0 {
		return nil, fmt.Errorf("trainer: the model has no parameters")
	}
	err = graph.Try(func() {
		g := graph.New()
		g.Float32, g.Private, g.Beside = f32, private, beside
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
		grads, err := G.Grad(loss, g.Nodes(st.params)...)
		if err != nil {
			panic(err)
		}
		st.gnodes = grads
		st.loss = new(G.Value)
		G.Read(loss, st.loss)
		st.vm = G.NewTapeMachine(g.ExprGraph)
	})
	if err != nil {
		return nil, fmt.Errorf("trainer: building the training graph: %w", err)
	}
	if f32 {
		st.in32 = make([]float32, n*d)
		st.input = tensor.New(tensor.WithShape(n, d), tensor.WithBacking(st.in32))
		st.grads32 = make([][]float32, len(st.params))
	} else {
		st.in64 = make([]float64, n*d)
		st.input = tensor.New(tensor.WithShape(n, d), tensor.WithBacking(st.in64))
		st.grads = make([][]float64, len(st.params))
	}
	return st, nil
}

// setRow puts row r of the batch.
func (st *stepper) setRow(r int, row []float64) {
	if st.in32 == nil {
		copy(st.in64[r*len(row):(r+1)*len(row)], row)
		return
	}
	buf := st.in32[r*len(row) : (r+1)*len(row)]
	for j, v := range row {
		buf[j] = float32(v)
	}
}

// run computes the loss and the gradients for the batch already in st.input; st.grads (or
// grads32) are then the gradient nodes' own slices (no copy), valid until the next run.
// The graph's copies of the parameters (float32 or private) are the caller's to refresh
// (graph.Graph.SyncSpans, shards.run): every shard's before any of them runs.
func (st *stepper) run() (float64, error) {
	defer st.vm.Reset()
	if err := G.Let(st.in, st.input); err != nil {
		return 0, err
	}
	if err := st.vm.RunAll(); err != nil {
		return 0, err
	}
	for k, n := range st.gnodes {
		if err := st.read(k, n.Value()); err != nil {
			return 0, err
		}
	}
	switch v := (*st.loss).Data().(type) {
	case float32:
		return float64(v), nil
	default:
		return v.(float64), nil
	}
}

// read sets gradient k from the value v of its node: its memory, unless v is a view (its values
// are then copied out of it) or a scalar (a one-value parameter).
func (st *stepper) read(k int, v G.Value) error {
	if v == nil {
		return fmt.Errorf("trainer: no gradient of %s", st.params[k].Name)
	}
	if d, ok := v.(*tensor.Dense); ok && d.IsMaterializable() {
		v = d.Materialize().(*tensor.Dense)
	}
	var n int
	switch d := v.Data().(type) {
	case []float64:
		st.grads[k], n = d, len(d)
	case []float32:
		st.grads32[k], n = d, len(d)
	case float64:
		st.grads[k], n = []float64{d}, 1
	case float32:
		st.grads32[k], n = []float32{d}, 1
	}
	if want := st.lens[k]; n != want {
		return fmt.Errorf("trainer: the gradient of %s has %d values, want %d", st.params[k].Name, n, want)
	}
	return nil
}

func (st *stepper) close() { closeVM(st.vm) }

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
