package trainer

import (
	"math"
	"math/rand"
	"testing"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/graph"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// TestGradientsRead: a Stepper, which reads the gradient nodes' memory, takes the steps of a
// reference loop that reads gorgonia's dual values (BindDualValues, zeroed between runs) of a
// graph of gorgonia's own ops (Graph.Plain) and calls the same Adam, for graphKinds (D=3) and two MADEs wide enough for bands (D=16, with their
// gradient blocks set with β = 0 and the rest of the gradient memory left as it is), over four
// steps with 1 and 2 shards: weights equal to 1e-9.
func TestGradientsRead(t *testing.T) {
	const n, steps = 16, 4
	banded := []distributions.Spec{
		{Layers: 2, Hidden: []int{128, 128}},
		{Layers: 2, Hidden: []int{128, 128}, Residual: true, Between: "actnorm"},
	}
	for i, spec := range append(append([]distributions.Spec(nil), graphKinds...), banded...) {
		d := 3
		if i >= len(graphKinds) {
			d = 16
		}
		for _, shards := range []int{1, 2, -1} { // -1: one, W zero off its mask (OnSpans passes W on)
			zeroOff := shards < 0
			shards = max(shards, 1)
			build := func() *distributions.Flow { return perturbedFlow(t, d, spec, rand.New(rand.NewSource(11))) }
			f, ref := build(), build()
			s := Settings{LearningRate: 1e-2, ClipNorm: 1, Shards: shards}
			st, err := NewStepper(f, n, d, s)
			require.NoError(t, err)
			if zeroOff { // Perturb moved W off the masks' supports too
				for k, p := range f.Params() {
					if spans := st.st.g.Spans(p); spans != nil {
						in := onSupport(spans, p.Len())
						for i := range in {
							if !in[i] {
								p.Data()[i], ref.Params()[k].Data()[i] = 0, 0
							}
						}
					}
				}
			}
			s, err = s.withDefaults()
			require.NoError(t, err)
			loop := newDualLoop(t, ref, n, d, s.Sparsity)
			rng := rand.New(rand.NewSource(5))
			x := mat.NewDense(n, d, nil)
			for range steps {
				x.Apply(func(_, _ int, _ float64) float64 { return rng.NormFloat64() }, x)
				got, err := st.Step(x)
				require.NoError(t, err)
				want := loop.step(t, x, s)
				require.InDeltaf(t, want, got, 1e-9*math.Max(1, math.Abs(want)), "%+v: loss", spec)
			}
			tol := 1e-9 // the fused ops round otherwise
			for k, p := range f.Params() {
				for i, v := range p.Data() {
					require.InDeltaf(t, ref.Params()[k].Data()[i], v, tol, "%+v, %d shards: %s[%d]", spec, shards, p.Name, i)
				}
			}
			st.Close()
			loop.vm.Close()
		}
	}
}

// dualLoop is the training step as gorgonia's examples write it: the gradients in dual values.
type dualLoop struct {
	in, loss *G.Node
	nodes    G.Nodes
	vm       G.VM
	params   []*graph.Param
	opt      *adam
}

func newDualLoop(t *testing.T, m *distributions.Flow, n, d int, sparsity float64) *dualLoop {
	l := &dualLoop{params: m.Params()}
	g := graph.New()
	g.Plain = true // gorgonia's own ops: independent of the fused ones
	l.in = g.Input("x", n, d)
	l.loss = G.Must(G.Neg(G.Must(G.Mean(m.LogProb(g, l.in)))))
	if sum := m.MaskSum(g); sum != nil && sparsity > 0 {
		l.loss = G.Must(G.Add(l.loss, G.Must(G.Mul(sum, g.Scalar(sparsity)))))
	}
	l.nodes = g.Nodes(l.params)
	_, err := G.Grad(l.loss, l.nodes...)
	require.NoError(t, err)
	l.vm = G.NewTapeMachine(g.ExprGraph, G.BindDualValues(l.nodes...))
	sizes := make([]int, len(l.params))
	for k, p := range l.params {
		sizes[k] = p.Len()
	}
	l.opt = newAdam(sizes)
	return l
}

// step runs the loss and its gradients on x and takes one Adam step of s; it returns the loss.
func (l *dualLoop) step(t *testing.T, x *mat.Dense, s Settings) float64 {
	defer l.vm.Reset()
	r, c := x.Dims()
	require.NoError(t, G.Let(l.in, tensor.New(tensor.WithShape(r, c), tensor.WithBacking(append([]float64(nil), x.RawMatrix().Data...)))))
	require.NoError(t, l.vm.RunAll())
	grads, ws := make([][]float64, len(l.params)), make([][]float64, len(l.params))
	for k, nd := range l.nodes {
		gv, err := nd.Grad()
		require.NoError(t, err)
		grads[k] = append([]float64(nil), gv.Data().([]float64)...)
		clear(gv.Data().([]float64)) // gorgonia adds the next run's into it
		ws[k] = l.params[k].Data()
	}
	adamStep(l.opt, ws, grads, s.ClipNorm, s.LearningRate, s.WeightDecay)
	for _, p := range l.params {
		p.Touch()
	}
	return l.loss.Value().Data().(float64)
}
