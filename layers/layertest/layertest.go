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
	// Perturb is the scale of the N(0, Perturb²) noise added to every parameter before the checks
	// (default 0.3); wide conditioners with a spline transform need less to keep the splines
	// well-conditioned enough for the finite differences.
	Perturb float64
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
	scale := c.Perturb
	if scale == 0 {
		scale = 0.3
	}
	Perturb(l, rng, scale)
	n := c.Rows
	if n == 0 {
		n = 4
	}
	d := l.Dim()
	x := mat.NewDense(n, d, nil)
	x.Apply(func(_, _ int, _ float64) float64 { return rng.NormFloat64() }, x)
	// a Conditional layer is checked at a random context: every check below runs with it, and
	// "context" checks that every output depends on it
	s := subject{l: l}
	if cd := layers.ContextDim(l); cd > 0 {
		s.ctx = mat.NewDense(n, cd, nil)
		s.ctx.Apply(func(_, _ int, _ float64) float64 { return rng.NormFloat64() }, s.ctx)
	}

	y, ld := s.transform(x)
	t.Run("round-trip", func(t *testing.T) { checkRoundTrip(t, s, x, y, ld) })
	if layers.CanInvertGraph(l) == nil {
		t.Run("graph-inverse", func(t *testing.T) { checkGraphInverse(t, s, x, y, ld) })
	}
	t.Run("graph=numeric", func(t *testing.T) { checkGraph(t, s, x, y, ld) })
	t.Run("jacobian", func(t *testing.T) { checkJacobian(t, s, x, ld) })
	if s.ctx != nil {
		t.Run("context", func(t *testing.T) { checkContext(t, s, x) })
	}
	t.Run("gradients", func(t *testing.T) { checkGradients(t, s, x, rng, !c.StructuralZeroGrad) })
	t.Run("fused=plain", func(t *testing.T) { checkFused(t, s, x, rng) })
}

// subject is the layer under test with its context (nil for a layer without one).
type subject struct {
	l   layers.Layer
	ctx *mat.Dense
}

// rows returns the context of rows [r0, r1) (nil without context).
func (s subject) rows(r0, r1 int) *mat.Dense {
	if s.ctx == nil {
		return nil
	}
	_, c := s.ctx.Dims()
	return mat.DenseCopyOf(s.ctx.Slice(r0, r1, 0, c))
}

func (s subject) transform(x *mat.Dense) (*mat.Dense, []float64) {
	return layers.TransformContext(s.l, x, s.ctx)
}

// transformRow is the numeric forward of one row r at its context.
func (s subject) transformRow(x []float64, r int) []float64 {
	y, _ := layers.TransformContext(s.l, mat.NewDense(1, len(x), append([]float64(nil), x...)), s.rows(r, r+1))
	return y.RawRowView(0)
}

func (s subject) inverse(y *mat.Dense) (*mat.Dense, []float64) {
	return layers.InverseContext(s.l, y, s.ctx)
}

// forward adds the layer to g on the input x, with the context as a second input node (which
// the caller must Let; nil without context).
func (s subject) forward(g *graph.Graph, x *G.Node) (y, ld, ctx *G.Node) {
	if s.ctx != nil {
		r, c := s.ctx.Dims()
		ctx = g.Input("ctx", r, c)
	}
	y, ld = layers.ForwardContext(s.l, g, x, ctx)
	return y, ld, ctx
}

// let binds x (and the context) to the graph's inputs.
func (s subject) let(t *testing.T, in, ctx *G.Node, x *mat.Dense) {
	require.NoError(t, G.Let(in, tensorOf(x)))
	if ctx != nil {
		require.NoError(t, G.Let(ctx, tensorOf(s.ctx)))
	}
}

// ContextPatterned is a Conditional layer that states which context inputs each output may use:
// a D×C 0/1 matrix (layers.AffineInjection, layers.Injection).
type ContextPatterned interface {
	ContextPattern() *mat.Dense
}

// checkContext: by finite differences in the context, every output depends on it in some row
// (for a ContextPatterned layer: exactly the outputs whose pattern row is not empty, and on no
// context input outside the pattern), and Transform at a zero context equals the Layer's plain
// Transform.
func checkContext(t *testing.T, s subject, x *mat.Dense) {
	n, d := x.Dims()
	_, c := s.ctx.Dims()
	var pattern *mat.Dense
	if cp, ok := s.l.(ContextPatterned); ok {
		pattern = cp.ContextPattern()
		require.NotNil(t, pattern, "ContextPattern of a layer with context")
		pr, pc := pattern.Dims()
		require.Equal(t, [2]int{d, c}, [2]int{pr, pc}, "ContextPattern is D×C")
	}
	used := make([]bool, d)
	for r := 0; r < n; r++ {
		xr := mat.NewDense(1, d, append([]float64(nil), x.RawRowView(r)...))
		f := func(dst, cr []float64) {
			y, _ := layers.TransformContext(s.l, xr, mat.NewDense(1, c, append([]float64(nil), cr...)))
			copy(dst, y.RawRowView(0))
		}
		jac := mat.NewDense(d, c, nil)
		fd.Jacobian(jac, f, s.ctx.RawRowView(r), &fd.JacobianSettings{Formula: fd.Central})
		for i := 0; i < d; i++ {
			for k := 0; k < c; k++ {
				v := jac.At(i, k)
				require.Falsef(t, math.IsNaN(v) || math.IsInf(v, 0), "∂y_%d/∂ctx_%d = %g", i, k, v)
				used[i] = used[i] || math.Abs(v) > 1e-8
				if pattern != nil && pattern.At(i, k) == 0 {
					require.LessOrEqualf(t, math.Abs(v), 1e-8, "row %d: output %d depends on context input %d outside the context pattern", r, i, k)
				}
			}
		}
	}
	for i, u := range used {
		if pattern == nil || mat.Sum(pattern.RowView(i)) > 0 {
			assert.Truef(t, u, "output %d does not depend on the context in any row", i)
		}
	}
	zero := mat.NewDense(n, c, nil)
	y0, ld0 := layers.TransformContext(s.l, x, zero)
	y1, ld1 := s.l.Transform(x)
	require.True(t, mat.Equal(y0, y1), "Transform differs from TransformContext at a zero context")
	require.Equal(t, ld0, ld1)
}

// Perturb adds scale·N(0,1) noise to every parameter value of l (a layer, a flow: anything with
// parameters), in the order of l.Params(), and touches each parameter.
func Perturb(l interface{ Params() []*graph.Param }, rng *rand.Rand, scale float64) {
	for _, p := range l.Params() {
		d := p.Data()
		for i := range d {
			d[i] += scale * rng.NormFloat64()
		}
		p.Touch()
	}
}

func checkRoundTrip(t *testing.T, s subject, x, y *mat.Dense, ld []float64) {
	back, ldInv := s.inverse(y)
	n, d := x.Dims()
	for r := 0; r < n; r++ {
		for j := 0; j < d; j++ {
			require.InDeltaf(t, x.At(r, j), back.At(r, j), RoundTripTol, "row %d col %d", r, j)
		}
		require.InDeltaf(t, ld[r], ldInv[r], RoundTripTol, "log-det of row %d: Transform %g, Inverse %g", r, ld[r], ldInv[r])
	}
}

// checkGraphInverse checks that the layer's graph inverse (layers.GraphInverter) maps y back to x
// with the forward log-det at x, as the numeric paths do.
func checkGraphInverse(t *testing.T, s subject, x, y *mat.Dense, ld []float64) {
	g := graph.New()
	n, d := y.Dims()
	in := g.Input("y", n, d)
	var ctx *G.Node
	if s.ctx != nil {
		r, c := s.ctx.Dims()
		ctx = g.Input("ctx", r, c)
	}
	xn, ldn := s.l.(layers.GraphInverter).InverseGraph(g, in, ctx)
	vm := G.NewTapeMachine(g.ExprGraph)
	defer vm.Close()
	s.let(t, in, ctx, y)
	require.NoError(t, vm.RunAll())
	gx, gld := xn.Value().Data().([]float64), ldn.Value().Data().([]float64)
	for r := 0; r < n; r++ {
		for j := 0; j < d; j++ {
			require.InDeltaf(t, x.At(r, j), gx[r*d+j], RoundTripTol, "x row %d col %d", r, j)
		}
		require.InDeltaf(t, ld[r], gld[r], RoundTripTol, "log-det row %d", r)
	}
}

// forwardGraph runs Forward in a fresh graph on x and returns y, log-det and the graph pieces.
func forwardGraph(t *testing.T, s subject, x *mat.Dense) (y, ld []float64) {
	g := graph.New()
	n, d := x.Dims()
	in := g.Input("x", n, d)
	yn, ldn, ctx := s.forward(g, in)
	vm := G.NewTapeMachine(g.ExprGraph)
	defer vm.Close()
	s.let(t, in, ctx, x)
	require.NoError(t, vm.RunAll())
	return append([]float64(nil), yn.Value().Data().([]float64)...), append([]float64(nil), ldn.Value().Data().([]float64)...)
}

func tensorOf(x *mat.Dense) *tensor.Dense {
	n, d := x.Dims()
	return tensor.New(tensor.WithShape(n, d), tensor.WithBacking(append([]float64(nil), mat.DenseCopyOf(x).RawMatrix().Data...)))
}

func checkGraph(t *testing.T, s subject, x, y *mat.Dense, ld []float64) {
	gy, gld := forwardGraph(t, s, x)
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

func checkJacobian(t *testing.T, s subject, x *mat.Dense, ld []float64) {
	n, d := x.Dims()
	pattern := s.l.Pattern()
	allowedOff, seenOff := 0, 0
	for r := 0; r < n; r++ {
		f := func(dst, xr []float64) { copy(dst, s.transformRow(xr, r)) }
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
func lossGraph(g *graph.Graph, s subject, in *G.Node, c []float64) (loss, ctx *G.Node) {
	y, ld, ctx := s.forward(g, in)
	yc := G.Must(G.Mul(y, g.ConstVec(c)))
	return G.Must(G.Sum(G.Must(G.Add(ld, yc)))), ctx
}

func lossNumeric(s subject, x *mat.Dense, c []float64) float64 {
	y, ld := s.transform(x)
	sum := 0.0
	n, d := y.Dims()
	for r := 0; r < n; r++ {
		sum += ld[r]
		for j := 0; j < d; j++ {
			sum += y.At(r, j) * c[j]
		}
	}
	return sum
}

func checkGradients(t *testing.T, s subject, x *mat.Dense, rng *rand.Rand, wantNonzero bool) {
	params := s.l.Params()
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
	loss, ctx := lossGraph(g, s, in, c)
	nodes := g.Nodes(params)
	_, err := G.Grad(loss, nodes...)
	require.NoError(t, err)
	vm := G.NewTapeMachine(g.ExprGraph, G.BindDualValues(nodes...))
	defer vm.Close()
	s.let(t, in, ctx, x)
	require.NoError(t, vm.RunAll())
	require.InDelta(t, lossNumeric(s, x, c), loss.Value().Data().(float64), 1e-9)
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
			p.Touch()
			up := lossNumeric(s, x, c)
			data[i] = old - h
			p.Touch()
			down := lossNumeric(s, x, c)
			data[i] = old
			p.Touch()
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
