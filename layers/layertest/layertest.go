package layertest

import (
	"math"
	"math/rand"
	"testing"

	"github.com/affineflow/flow/graph"
	"github.com/affineflow/flow/layers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/mat"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Case is one named layer constructor. New must return a fresh layer for the given rng.
type Case struct {
	Name string
	New  func(rng *rand.Rand) (layers.Layer, error)
	// Rows is the batch size used (default 4).
	Rows int
	// StructuralZeroGrad allows parameters whose gradient is zero by construction (a D=1 or
	// single-block MADE, whose hidden units see nothing); they must still be finite and match
	// finite differences.
	StructuralZeroGrad bool
}

// Tolerances of the suite.
const (
	RoundTripTol = 1e-9
	GraphTol     = 1e-10
	LogDetTol    = 1e-6
	ZeroTol      = 1e-10
)

// Run runs the conformance suite for every case as a subtest.
func Run(t *testing.T, cases []Case) {
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) { runCase(t, c) })
	}
}

func runCase(t *testing.T, c Case) {
	rng := rand.New(rand.NewSource(7))
	l, err := c.New(rng)
	require.NoError(t, err)
	Perturb(l, rng, 0.3)
	n := c.Rows
	if n == 0 {
		n = 4
	}
	d := l.Dim()
	x := mat.NewDense(n, d, nil)
	x.Apply(func(_, _ int, _ float64) float64 { return rng.NormFloat64() }, x)

	y, ld := l.Transform(x)
	t.Run("round-trip", func(t *testing.T) { checkRoundTrip(t, l, x, y, ld) })
	t.Run("graph=numeric", func(t *testing.T) { checkGraph(t, l, x, y, ld) })
	t.Run("jacobian", func(t *testing.T) { checkJacobian(t, l, x, ld) })
	t.Run("gradients", func(t *testing.T) { checkGradients(t, l, x, rng, !c.StructuralZeroGrad) })
}

// Perturb adds scale·N(0,1) noise to every parameter value of l.
func Perturb(l layers.Layer, rng *rand.Rand, scale float64) {
	for _, p := range l.Params() {
		d := p.Data()
		for i := range d {
			d[i] += scale * rng.NormFloat64()
		}
	}
}

func checkRoundTrip(t *testing.T, l layers.Layer, x, y *mat.Dense, ld []float64) {
	back, ldInv := l.Inverse(y)
	n, d := x.Dims()
	for r := 0; r < n; r++ {
		for j := 0; j < d; j++ {
			require.InDeltaf(t, x.At(r, j), back.At(r, j), RoundTripTol, "row %d col %d", r, j)
		}
		require.InDeltaf(t, ld[r], ldInv[r], RoundTripTol, "log-det of row %d: Transform %g, Inverse %g", r, ld[r], ldInv[r])
	}
}

// forwardGraph runs Forward in a fresh graph on x and returns y, log-det and the graph pieces.
func forwardGraph(t *testing.T, l layers.Layer, x *mat.Dense) (y, ld []float64) {
	g := graph.New()
	n, d := x.Dims()
	in := g.Input("x", n, d)
	yn, ldn := l.Forward(g, in)
	vm := G.NewTapeMachine(g.ExprGraph)
	defer vm.Close()
	require.NoError(t, G.Let(in, tensorOf(x)))
	require.NoError(t, vm.RunAll())
	return append([]float64(nil), yn.Value().Data().([]float64)...), append([]float64(nil), ldn.Value().Data().([]float64)...)
}

func tensorOf(x *mat.Dense) *tensor.Dense {
	n, d := x.Dims()
	return tensor.New(tensor.WithShape(n, d), tensor.WithBacking(append([]float64(nil), mat.DenseCopyOf(x).RawMatrix().Data...)))
}

func checkGraph(t *testing.T, l layers.Layer, x, y *mat.Dense, ld []float64) {
	gy, gld := forwardGraph(t, l, x)
	n, d := x.Dims()
	require.Len(t, gy, n*d)
	require.Len(t, gld, n)
	for r := 0; r < n; r++ {
		for j := 0; j < d; j++ {
			require.InDeltaf(t, y.At(r, j), gy[r*d+j], GraphTol, "y row %d col %d", r, j)
		}
		require.InDeltaf(t, ld[r], gld[r], GraphTol, "log-det row %d", r)
	}
}

func checkJacobian(t *testing.T, l layers.Layer, x *mat.Dense, ld []float64) {
	n, d := x.Dims()
	pattern := l.Pattern()
	allowedOff, seenOff := 0, 0
	for r := 0; r < n; r++ {
		f := func(dst, xr []float64) {
			y, _ := l.Transform(mat.NewDense(1, d, append([]float64(nil), xr...)))
			copy(dst, y.RawRowView(0))
		}
		jac := mat.NewDense(d, d, nil)
		fd.Jacobian(jac, f, mat.Row(nil, r, x), &fd.JacobianSettings{Formula: fd.Central})
		var lu mat.LU
		lu.Factorize(jac)
		logAbs, _ := lu.LogDet()
		require.InDeltaf(t, logAbs, ld[r], LogDetTol, "row %d: log|det J| by finite differences %g, layer %g", r, logAbs, ld[r])
		for i := 0; i < d; i++ {
			for j := 0; j < d; j++ {
				v := jac.At(i, j)
				if pattern.At(i, j) == 0 {
					require.InDeltaf(t, 0, v, ZeroTol, "output %d depends on forbidden input %d (∂y/∂x = %g)", i, j, v)
				} else if i != j {
					allowedOff++
					if math.Abs(v) > 1e-8 {
						seenOff++
					}
				}
			}
		}
	}
	if allowedOff > 0 {
		assert.Positivef(t, seenOff, "no allowed off-diagonal dependency is used: the layer ignores its inputs")
	}
}

// loss is Σ_rows (log-det + ½ Σ_j y_j · c_j) for fixed random weights c: every output and the
// log-det contribute.
func lossGraph(g *graph.Graph, l layers.Layer, in *G.Node, c []float64) *G.Node {
	y, ld := l.Forward(g, in)
	yc := G.Must(G.Mul(y, g.ConstVec(c)))
	return G.Must(G.Sum(G.Must(G.Add(ld, yc))))
}

func lossNumeric(l layers.Layer, x *mat.Dense, c []float64) float64 {
	y, ld := l.Transform(x)
	s := 0.0
	n, d := y.Dims()
	for r := 0; r < n; r++ {
		s += ld[r]
		for j := 0; j < d; j++ {
			s += y.At(r, j) * c[j]
		}
	}
	return s
}

func checkGradients(t *testing.T, l layers.Layer, x *mat.Dense, rng *rand.Rand, wantNonzero bool) {
	params := l.Params()
	if len(params) == 0 {
		return
	}
	n, d := x.Dims()
	c := make([]float64, d)
	for j := range c {
		c[j] = rng.NormFloat64()
	}
	g := graph.New()
	in := g.Input("x", n, d)
	loss := lossGraph(g, l, in, c)
	nodes := g.Nodes(params)
	_, err := G.Grad(loss, nodes...)
	require.NoError(t, err)
	vm := G.NewTapeMachine(g.ExprGraph, G.BindDualValues(nodes...))
	defer vm.Close()
	require.NoError(t, G.Let(in, tensorOf(x)))
	require.NoError(t, vm.RunAll())
	require.InDelta(t, lossNumeric(l, x, c), loss.Value().Data().(float64), 1e-9)
	for k, p := range params {
		gv, err := nodes[k].Grad()
		require.NoErrorf(t, err, "param %s", p.Name)
		grad := append([]float64(nil), gv.Data().([]float64)...)
		require.Len(t, grad, p.Len())
		nonzero := false
		for i, v := range grad {
			require.Falsef(t, math.IsNaN(v) || math.IsInf(v, 0), "param %s entry %d: gradient %g", p.Name, i, v)
			nonzero = nonzero || v != 0
		}
		if wantNonzero {
			assert.Truef(t, nonzero, "param %s gets an all-zero gradient", p.Name)
		}
		// central differences on up to 3 entries with a non-zero gradient, and one at random
		for _, i := range sampleEntries(grad, rng) {
			data := p.Data()
			old := data[i]
			const h = 1e-6
			data[i] = old + h
			up := lossNumeric(l, x, c)
			data[i] = old - h
			down := lossNumeric(l, x, c)
			data[i] = old
			want := (up - down) / (2 * h)
			assert.InDeltaf(t, want, grad[i], 1e-5*(1+math.Abs(want)), "param %s entry %d: graph gradient %g, finite difference %g", p.Name, i, grad[i], want)
		}
	}
}

func sampleEntries(grad []float64, rng *rand.Rand) []int {
	var idx []int
	for i, v := range grad {
		if v != 0 && len(idx) < 3 {
			idx = append(idx, i)
		}
	}
	return append(idx, rng.Intn(len(grad)))
}
