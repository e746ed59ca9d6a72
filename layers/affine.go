package layers

import (
	"errors"
	"fmt"
	"math/rand"
	"sync/atomic"

	"github.com/affineflow/flow/graph"
	"github.com/affineflow/flow/masks"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
	G "gorgonia.org/gorgonia"
)

// AffineSettings configures an AffineInjection. The zero value gives the defaults.
type AffineSettings struct {
	// Hidden are the hidden widths of the MADE conditioner; default [64, 64].
	Hidden []int
	// Activation of the hidden units; default ReLU.
	Activation Activation
	// ScaleClamp is C in s = C·tanh(raw/C), a smooth bound that keeps exp(s) finite in training;
	// 0: DefaultScaleClamp; negative: no bound (s = raw). `flow fit -scale-clamp` means the same.
	// (A model file stores the bound in effect, with 0 for none.)
	ScaleClamp float64
	// Residual makes every hidden-to-hidden map a residual block h ← h + act(h·(W⊙M) + b)
	// (the hidden widths must then be equal).
	Residual bool
	// RandomDegrees draws MADE's random hidden degrees from the layer's rng instead of the
	// deterministic nflows degrees.
	RandomDegrees bool
	// Context is C, the number of context (conditioning) inputs appended to the conditioner's
	// input: the layer models x given ctx. Every hidden unit sees the context, and each hidden
	// layer has units of degree 0 that see only the context, so that every output (also those of
	// the first degree) can depend on it nonlinearly. 0: no context.
	Context int
	// Elementwise is the element-wise map: affine (the zero value) or a rational-quadratic spline
	// (Spline(K, B)); ScaleClamp applies to the affine map only.
	Elementwise Transform
}

// Widths returns the hidden widths in effect: Hidden, or [64, 64].
func (s AffineSettings) Widths() []int {
	if len(s.Hidden) == 0 {
		return []int{64, 64}
	}
	return s.Hidden
}

// DefaultScaleClamp is the bound C on the log-scales when AffineSettings.ScaleClamp (or
// InjectionSettings.ScaleClamp, distributions.Spec.ScaleClamp) is 0.
const DefaultScaleClamp = 3

// Bound returns the clamp C in effect: ScaleClamp, DefaultScaleClamp for 0, and 0 (no bound) for
// a negative ScaleClamp.
func (s AffineSettings) Bound() float64 {
	switch {
	case s.ScaleClamp == 0:
		return DefaultScaleClamp
	case s.ScaleClamp < 0:
		return 0
	}
	return s.ScaleClamp
}

// AffineInjection is the affine injection layer with a MADE conditioner (Germain et al. 2015;
// Papamakarios et al. 2017):
//
//	raw = MADE(x) (N×2D),  s = C·tanh(raw[:, :D]/C),  t = raw[:, D:],
//	y = x ⊙ exp(s) + t,    log|det ∂y/∂x| = Σ_i s_i.
//
// With a spline Elementwise map the MADE has P = 3K − 1 outputs per dimension (blocks of D
// columns) and y_i is the monotone rational-quadratic spline of x_i they define (Durkan et al.
// 2019), log|det| = Σ_i log ∂y_i/∂x_i; everything else (masks, orders, context, gates, inverse)
// is the same.
//
// Output i sees input j only when Order[j] < Order[i]. The inverse solves the dimensions degree by
// degree, in increasing order, computing each hidden unit once (madeinv.go): at most one conditioner
// pass in all, whatever the number of degrees.
//
// With Context = C > 0 the conditioner reads [x, ctx] (D+C inputs, the context of degree 0, seen
// by every output): raw = MADE([x, ctx]); the layer is then a Conditional layer.
//
// The numeric paths cache the effective weights and the inverse schedule (weightcache.go,
// madeinv.go): Touch a parameter after writing its values. Use the layer by pointer (it must not
// be copied after first use).
type AffineInjection struct {
	Order   masks.Degrees
	Net     Net     // the last map has P·D outputs (P = Elementwise.PerDim()): for the affine map raw s (columns 0..D-1), then t (D..2D-1)
	Clamp   float64 // C; 0 means no bound
	Context int     // number of context inputs after the D data inputs of the first map
	// Elementwise is the element-wise map (the zero value: affine).
	Elementwise Transform

	plan atomic.Pointer[cachedPlan] // the inverse schedule (madeinv.go)
}

// NewAffineInjection returns a layer with the given order whose conditioner's last map is zero, so
// that the new layer is the identity. rng initializes the hidden maps (and draws random degrees).
func NewAffineInjection(order masks.Degrees, s AffineSettings, rng *rand.Rand) (*AffineInjection, error) {
	if rng == nil {
		return nil, errors.New("layers: NewAffineInjection needs a *rand.Rand")
	}
	if err := order.Validate(); err != nil {
		return nil, err
	}
	widths := s.Widths()
	if err := checkWidths(widths); err != nil {
		return nil, err
	}
	if s.Residual {
		for _, w := range widths {
			if w != widths[0] {
				return nil, fmt.Errorf("layers: residual blocks need equal hidden widths, got %v", widths)
			}
		}
	}
	if s.Residual && s.RandomDegrees && len(widths) > 1 {
		// h + act(h·(W⊙M)) links unit u to itself; with degrees drawn anew per layer that path
		// would join units of different degree and break the autoregressive property.
		return nil, errors.New("layers: residual blocks need the same hidden degrees in every layer; use deterministic degrees with Residual")
	}
	if s.Context < 0 {
		return nil, fmt.Errorf("layers: %d context inputs, want >= 0", s.Context)
	}
	if err := s.Elementwise.Validate(); err != nil {
		return nil, err
	}
	var drng *rand.Rand
	if s.RandomDegrees {
		drng = rng
	}
	ms, _ := masks.MADE(order.WithContext(s.Context), widths, s.Elementwise.PerDim(), drng)
	return newAffineInjection(order, ms, s, rng), nil
}

// NewAffineInjectionMasks returns an affine injection layer whose conditioner has the given masks
// (fan-in × fan-out each, the last with P·D columns, P = s.Elementwise.PerDim(): s then t for the
// affine map, as masks.MADE with reps P) instead
// of MADE's, e.g. masks.ParentsMADE's for a given graph. The first mask's rows beyond D are context
// inputs (their number is the layer's Context); Hidden and RandomDegrees of s are not used. The
// masks must be strictly autoregressive in order (Validate checks them).
func NewAffineInjectionMasks(order masks.Degrees, ms []*mat.Dense, s AffineSettings, rng *rand.Rand) (*AffineInjection, error) {
	if err := order.Validate(); err != nil {
		return nil, err
	}
	if len(ms) == 0 {
		return nil, errors.New("layers: no conditioner masks")
	}
	in, _ := ms[0].Dims()
	if s.Context = in - len(order); s.Context < 0 {
		return nil, fmt.Errorf("layers: the first mask has %d inputs, the order %d", in, len(order))
	}
	l := newAffineInjection(order, ms, s, rng)
	if err := l.Validate(); err != nil {
		return nil, err
	}
	return l, nil
}

// newAffineInjection builds the layer on masks ms, initializing every map but the last (which
// starts at zero, so the layer starts as the identity) from rng.
func newAffineInjection(order masks.Degrees, ms []*mat.Dense, s AffineSettings, rng *rand.Rand) *AffineInjection {
	l := &AffineInjection{Order: order, Net: Net{Act: s.Activation.orDefault()}, Clamp: s.Bound(), Context: s.Context,
		Elementwise: s.Elementwise}
	last := len(ms) - 1
	l.Net.Layers = MaskedMaps("made", ms[:last], rng)
	for k := 1; k < last; k++ {
		l.Net.Layers[k].Residual = s.Residual
	}
	in, out := ms[last].Dims()
	l.Net.Layers = append(l.Net.Layers, newDense(fmt.Sprintf("made%d", last), in, out, ms[last], nil))
	return l
}

// Validate checks shapes and that the conditioner's masks are strictly autoregressive in Order
// (the context inputs, degree 0, may be seen by every output).
func (l *AffineInjection) Validate() error {
	d := len(l.Order)
	if err := l.Order.Validate(); err != nil {
		return err
	}
	if l.Context < 0 {
		return fmt.Errorf("layers: affine injection has %d context inputs", l.Context)
	}
	if len(l.Net.Layers) == 0 {
		return errors.New("layers: affine injection has no conditioner maps")
	}
	for k, dn := range l.Net.Layers {
		if dn.Mask == nil {
			return fmt.Errorf("layers: affine injection map %d has no mask", k)
		}
		if r, c := dn.Mask.Dims(); dn.Residual && r != c {
			return fmt.Errorf("layers: affine injection map %d is residual but %d×%d", k, r, c)
		}
	}
	ms := PathMasks(l.Net.Layers)
	if r, _ := ms[0].Dims(); r != d+l.Context {
		return fmt.Errorf("layers: affine injection first map has %d inputs, want %d", r, d+l.Context)
	}
	if err := l.Elementwise.Validate(); err != nil {
		return err
	}
	p := l.Elementwise.PerDim()
	if _, c := ms[len(ms)-1].Dims(); c != p*d {
		return fmt.Errorf("layers: affine injection last map has %d outputs, want %d (%d per dimension)", c, p*d, p)
	}
	if err := l.ValidateGates(); err != nil {
		return err
	}
	return masks.Check(ms, l.Order.WithContext(l.Context))
}

// ContextDim returns the number of context inputs.
func (l *AffineInjection) ContextDim() int { return l.Context }

// Dim returns D.
func (l *AffineInjection) Dim() int { return len(l.Order) }

// Params returns the conditioner's weights and biases.
func (l *AffineInjection) Params() []*graph.Param { return l.Net.Params() }

// Pattern is the layer's dependency matrix (Dependency) plus the diagonal.
func (l *AffineInjection) Pattern() *mat.Dense { return withDiagonal(l.Dependency()) }

// Dependency is the D×D 0/1 matrix of which data inputs the conditioner's masks connect to each
// output's (s, t): D[i][j] = 1 when a path of mask entries leads from x_j to s_i or t_i. For MADE
// masks of enough hidden units it is the order's Dependency; for sparser masks (few hidden units,
// masks.ParentsMADE) it is exactly what the masks allow.
func (l *AffineInjection) Dependency() *mat.Dense { return l.connected(0, len(l.Order)) }

// ContextPattern is the D×C 0/1 matrix of which context inputs the masks connect to each output
// (nil without context): with MADE's masks all ones, with masks.ParentsMADE's the given edges.
func (l *AffineInjection) ContextPattern() *mat.Dense {
	if l.Context == 0 {
		return nil
	}
	return l.connected(len(l.Order), l.Context)
}

// connected returns the D×n 0/1 matrix P[i][j] = 1 when a path of mask entries leads from input
// from+j to one of output i's values (s_i or t_i).
func (l *AffineInjection) connected(from, n int) *mat.Dense {
	d := len(l.Order)
	conn := masks.Connectivity(PathMasks(l.Net.Layers)) // (D+C) × PD
	p := mat.NewDense(d, n, nil)
	for i := range d {
		for j := range n {
			for part := range l.Elementwise.PerDim() {
				if conn.At(from+j, part*d+i) != 0 {
					p.Set(i, j, 1)
				}
			}
		}
	}
	return p
}

// Forward adds y = x ⊙ exp(s) + t and Σ s per row to g (with a zero context, if any).
func (l *AffineInjection) Forward(g *graph.Graph, x *G.Node) (y, logdet *G.Node) {
	return l.ForwardContext(g, x, nil)
}

// ForwardContext is Forward with the context ctx (N×C) as the conditioner's extra inputs; nil
// means a zero context.
func (l *AffineInjection) ForwardContext(g *graph.Graph, x, ctx *G.Node) (y, logdet *G.Node) {
	d := l.Dim()
	in := withContext(g, x, ctx, l.Context)
	if l.Elementwise.IsSpline() && !g.Plain {
		// each dimension's 3K − 1 values side by side, so that the bands of the last map skip
		// the masked half of its product (in blocks of D every band needs every hidden unit)
		raw := l.Net.NodeCols(g, in, interleave(d, l.Elementwise.PerDim()))
		return l.Elementwise.node(g, x, raw, l.Clamp, true)
	}
	raw := l.Net.Node(g, in)
	if !g.Plain || l.Elementwise.IsSpline() { // the spline has no plain form: its node is the reference
		return l.Elementwise.node(g, x, raw, l.Clamp, false)
	}
	s := graph.SoftClamp(graph.Cols(raw, 0, d), l.Clamp)
	t := graph.Cols(raw, d, 2*d)
	y = G.Must(G.Add(G.Must(G.HadamardProd(x, G.Must(G.Exp(s)))), t))
	return y, graph.RowSum(s)
}

// Transform is the numeric forward: one conditioner pass with the effective weights W⊙M, on raw
// slices with the installed BLAS (see numeric.go), then y = x ⊙ exp(s) + t row by row.
func (l *AffineInjection) Transform(x *mat.Dense) (*mat.Dense, []float64) {
	return l.TransformContext(x, nil)
}

// TransformContext is Transform given the context ctx (N×C; nil: zero).
func (l *AffineInjection) TransformContext(x, ctx *mat.Dense) (*mat.Dense, []float64) {
	n, d := x.Dims()
	a := getArena()
	defer putArena(a)
	raw := l.Net.effective().forward(l.netInput(x, ctx, a), a)
	y := mat.NewDense(n, d, nil)
	logdet := make([]float64, n)
	xr, yr := x.RawMatrix(), y.RawMatrix()
	if l.Elementwise.IsSpline() {
		e := l.Elementwise.elementwise(l.Clamp)
		for r := 0; r < n; r++ {
			u := raw.Data[r*raw.Stride:]
			for i, xi := range xr.Data[r*xr.Stride : r*xr.Stride+d] {
				v, ld := e.forward(xi, u[i:], d)
				yr.Data[r*yr.Stride+i] = v
				logdet[r] += ld
			}
		}
		return y, logdet
	}
	// s = C·tanh(raw_s/C) and exp(s) for all rows at once (vmath: the bits of the scalar path)
	s, es := a.take(n*d), a.take(n*d)
	scales(raw, d, l.Clamp, false, s, es)
	for r := 0; r < n; r++ {
		xrow := xr.Data[r*xr.Stride : r*xr.Stride+d]
		yrow := yr.Data[r*yr.Stride : r*yr.Stride+d]
		t := raw.Data[r*raw.Stride+d : r*raw.Stride+2*d]
		sr, er := s[r*d:(r+1)*d], es[r*d:(r+1)*d]
		sum := 0.0
		for i, xi := range xrow {
			yrow[i] = xi*er[i] + t[i]
			sum += sr[i]
		}
		logdet[r] = sum
	}
	return y, logdet
}

// Inverse runs x_i = (y_i - t_i) ⊙ exp(-s_i) (or the spline's inverse) one degree at a time. With MADE masks (hidden
// degrees sorted) it is incremental: each hidden unit is computed once, when the inputs it sees
// are known (see madeinv.go), about half a conditioner pass in all. Other masks fall back to one
// full conditioner pass per distinct degree.
func (l *AffineInjection) Inverse(y *mat.Dense) (*mat.Dense, []float64) {
	return l.InverseContext(y, nil)
}

// InverseContext is Inverse given the context ctx (N×C; nil: zero).
func (l *AffineInjection) InverseContext(y, ctx *mat.Dense) (*mat.Dense, []float64) {
	n, d := y.Dims()
	x := mat.NewDense(n, d, nil)
	logdet := make([]float64, n)
	a := getArena()
	defer putArena(a)
	e := l.Net.effective()
	// the network input: x itself, or [x, ctx] in arena memory whose x columns are filled in
	in := x.RawMatrix()
	if l.Context > 0 {
		in = l.netInput(x, ctx, a)
	}
	if c := l.inversePlan(e); c.plan != nil {
		l.inverseIncremental(c.plan, e, y, in, logdet, a)
	} else {
		l.inverseFullPasses(e, c.groups, y, in, logdet, a)
	}
	if l.Context > 0 {
		for r := 0; r < n; r++ {
			copy(x.RawRowView(r), in.Data[r*in.Stride:r*in.Stride+d])
		}
	}
	return x, logdet
}

// inverseFullPasses is the inverse by one full conditioner pass per distinct degree (per block):
// it fills the first d columns of the network input in and adds the log-determinants to logdet.
func (l *AffineInjection) inverseFullPasses(e *effNet, groups [][]int, y *mat.Dense, in blas64.General, logdet []float64, a *arena) {
	n, d := y.Dims()
	el := l.Elementwise.elementwise(l.Clamp)
	for _, dims := range groups {
		m := a.mark()
		raw := e.forward(in, a)
		for _, i := range dims {
			for r := 0; r < n; r++ {
				x, ld := el.inverse(y.At(r, i), raw.Data[r*raw.Stride+i:], d)
				in.Data[r*in.Stride+i] = x
				logdet[r] += ld
			}
		}
		a.release(m)
	}
}

// netInput returns the conditioner's input for x: x itself without context, else [x, ctx]
// (n×(D+C), ctx nil meaning zero) in arena memory.
func (l *AffineInjection) netInput(x, ctx *mat.Dense, a *arena) blas64.General {
	if l.Context == 0 {
		return x.RawMatrix()
	}
	n, d := x.Dims()
	c := l.Context
	if ctx != nil {
		if r, cc := ctx.Dims(); r != n || cc != c {
			panic(fmt.Sprintf("layers: context is %d×%d, want %d×%d", r, cc, n, c))
		}
	}
	in := a.general(n, d+c)
	for r := 0; r < n; r++ {
		row := in.Data[r*in.Stride : r*in.Stride+d+c]
		copy(row[:d], x.RawRowView(r))
		if ctx != nil {
			copy(row[d:], ctx.RawRowView(r))
		} else {
			clear(row[d:])
		}
	}
	return in
}

// withDiagonal sets the diagonal of a square matrix to 1 and returns it.
func withDiagonal(m *mat.Dense) *mat.Dense {
	r, _ := m.Dims()
	for i := 0; i < r; i++ {
		m.Set(i, i, 1)
	}
	return m
}
