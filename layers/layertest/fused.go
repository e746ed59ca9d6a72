package layertest

import (
	"math"
	"math/rand"
	"testing"

	"github.com/affineflow/flow/graph"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// FusedTol is the tolerance of fused=plain, relative to max(1, |value|).
const FusedTol = 1e-12

// checkFused compares the fused graph (graph.Dense, Hadamard, Affine, ...) with the plain one
// (Graph.Plain: gorgonia's own ops) on the loss of checkGradients: y, log-det, the loss and the
// gradient of every parameter and of the input x (a parameter node here, so that the input
// gradients of stacked layers are checked too), over two runs of one machine on different
// inputs (the fused ops keep their buffers across runs).
func checkFused(t *testing.T, s subject, x *mat.Dense, rng *rand.Rand) {
	n, d := x.Dims()
	c := make([]float64, d)
	for j := range c {
		c[j] = rng.NormFloat64()
	}
	x2 := mat.NewDense(n, d, nil)
	x2.Apply(func(_, _ int, _ float64) float64 { return rng.NormFloat64() }, x2)
	plain := runPaths(t, s, true, c, x, x2)
	fused := runPaths(t, s, false, c, x, x2)
	for k := range plain {
		require.Equal(t, plain[k].name, fused[k].name)
		require.Lenf(t, fused[k].v, len(plain[k].v), "%s", plain[k].name)
		for i, want := range plain[k].v {
			got := fused[k].v[i]
			require.Falsef(t, math.IsNaN(got) != math.IsNaN(want), "%s entry %d: fused %g, plain %g", plain[k].name, i, got, want)
			require.InDeltaf(t, want, got, FusedTol*math.Max(1, math.Abs(want)), "%s entry %d", plain[k].name, i)
		}
	}
}

type named struct {
	name string
	v    []float64
}

// runPaths builds the loss on the plain or fused path and returns, for each input in turn, its
// values and gradients.
func runPaths(t *testing.T, s subject, plain bool, c []float64, xs ...*mat.Dense) []named {
	n, d := xs[0].Dims()
	g := graph.New()
	g.Plain = plain
	xp := graph.NewParam("x", nil, n, d)
	in := g.Param(xp)
	y, ld, ctx := s.forward(g, in)
	loss := G.Must(G.Sum(G.Must(G.Add(ld, G.Must(G.Mul(y, g.ConstVec(c)))))))
	params := append(s.l.Params(), xp)
	nodes := g.Nodes(params)
	_, err := G.Grad(loss, nodes...)
	require.NoError(t, err)
	var yv, ldv, lv G.Value
	G.Read(y, &yv)
	G.Read(ld, &ldv)
	G.Read(loss, &lv)
	vm := G.NewTapeMachine(g.ExprGraph, G.BindDualValues(nodes...))
	defer vm.Close()
	var out []named
	for run, x := range xs {
		copy(xp.Data(), mat.DenseCopyOf(x).RawMatrix().Data)
		if ctx != nil {
			require.NoError(t, G.Let(ctx, tensorOf(s.ctx)))
		}
		require.NoError(t, vm.RunAll())
		out = append(out, named{"y", floats(yv)}, named{"log-det", floats(ldv)},
			named{"loss", []float64{lv.Data().(float64)}})
		for k, p := range params {
			gv, err := nodes[k].Grad()
			require.NoErrorf(t, err, "run %d param %s", run, p.Name)
			out = append(out, named{"gradient of " + p.Name, floats(gv)})
			clear(gv.Data().([]float64)) // gradients accumulate across runs
		}
		vm.Reset()
	}
	return out
}

func floats(v G.Value) []float64 {
	if t, ok := v.(*tensor.Dense); ok {
		return append([]float64(nil), t.Data().([]float64)...)
	}
	return append([]float64(nil), v.Data().([]float64)...)
}
