package layers

import (
	"errors"
	"fmt"
	"math/rand"
	"sync/atomic"

	"github.com/affineflow/flow/graph"
	"github.com/affineflow/flow/masks"
	"gonum.org/v1/gonum/mat"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// InjectionSettings configures an Injection layer. The zero value gives the defaults.
type InjectionSettings struct {
	// Hidden are the widths of the shared per-dimension network; default [64, 64].
	Hidden []int
	// Embedding is E, the length of the learned embedding of each dimension index; default 4.
	Embedding int
	// Mask is the D×D mask M (M[i][j]: output i may use input j), hard or soft, zero outside the
	// order's strictly lower-triangular support; default: that full support. With Context = C it
	// may be D×(D+C), its last C columns saying which context inputs output i may use (any values
	// in [0,1]); a D×D mask lets every output use every context input.
	Mask *mat.Dense
	// LearnMask makes the mask learnable (see softmask.go): M = σ(L) ⊙ S with S the non-zero
	// pattern of Mask and L learned logits, initialized so that σ(L) = MaskInit (default
	// DefaultMaskInit, 0.9).
	LearnMask bool
	MaskInit  float64
	// Activation, ScaleClamp and Residual mean what they mean in AffineSettings.
	Activation Activation
	ScaleClamp float64
	Residual   bool
	// Context is C, the number of context (conditioning) inputs: the layer models x given ctx,
	// each cond_i also reading the context through row i of the mask's context columns. 0: none.
	Context int
	// Elementwise is the element-wise map: affine (the zero value) or a rational-quadratic spline,
	// whose 3K − 1 values per dimension the shared network returns instead of (s_i, t_i).
	Elementwise Transform
}

// Injection is the literal affine injection layer: for each dimension i one shared network
// reads cond_i = [m_i ⊙ x, e_i] (m_i the i-th row of the mask M, e_i a learned embedding of i) and
// returns (raw s_i, t_i); then
//
//	s_i = C·tanh(raw s_i / C),  y_i = x_i·exp(s_i) + t_i,  log|det ∂y/∂x| = Σ_i s_i.
//
// All D evaluations run in one batched graph: the first map (m_i ⊙ x)·W_x for every i is one
// product x·A with A[j, iH+k] = M[i][j]·W_x[j][k].
//
// With Context = C > 0 the layer is Conditional: cond_i = [m_i ⊙ [x, ctx], e_i], M being D×(D+C)
// (its context columns are not bound by the order: the context is given, not transformed).
//
// Transform and Inverse cache the effective weights and the soft mask per parameter version
// (weightcache.go): Touch a parameter after writing its values. Use the layer by pointer (it must
// not be copied after first use).
type Injection struct {
	Order masks.Degrees
	Mask  *mat.Dense   // D×(D+C), values in [0,1], data part zero outside masks.Dependency(Order); with Logits the 0/1 support S
	Embed *graph.Param // D×E
	Net   Net          // first map (D+C+E)×H1 (rows 0..D+C-1 read m_i⊙[x, ctx], the rest e_i), last map H×2
	Clamp float64
	// Context is C, the number of context inputs (0: none).
	Context int
	// Elementwise is the element-wise map (the zero value: affine; a spline's network returns
	// its 3K − 1 values per dimension).
	Elementwise Transform
	// Logits, when set, make the mask learnable: the effective mask is σ(Logits) ⊙ Mask (see
	// EffectiveMask, softmask.go); nil for a fixed mask.
	Logits *graph.Param

	mask atomic.Pointer[maskCache] // σ(Logits) ⊙ Mask for Transform and Inverse (softmask.go)
}

// NewInjection returns an Injection layer that starts as the identity (last map zero).
func NewInjection(order masks.Degrees, s InjectionSettings, rng *rand.Rand) (*Injection, error) {
	if rng == nil {
		return nil, errors.New("layers: NewInjection needs a *rand.Rand")
	}
	if err := order.Validate(); err != nil {
		return nil, err
	}
	d := len(order)
	if s.Context < 0 {
		return nil, fmt.Errorf("layers: %d context inputs, want >= 0", s.Context)
	}
	if err := s.Elementwise.Validate(); err != nil {
		return nil, err
	}
	m := s.Mask
	if m == nil {
		m = masks.Dependency(order)
	}
	if _, c := m.Dims(); c == d && s.Context > 0 { // every output sees every context input
		full := mat.NewDense(d, d+s.Context, nil)
		for i := range d {
			row := full.RawRowView(i)
			copy(row, m.RawRowView(i))
			for j := d; j < len(row); j++ {
				row[j] = 1
			}
		}
		m = full
	}
	e := s.Embedding
	if e <= 0 {
		e = 4
	}
	widths := AffineSettings{Hidden: s.Hidden}.Widths()
	if err := checkWidths(widths); err != nil {
		return nil, err
	}
	l := &Injection{
		Order:       order,
		Mask:        mat.DenseCopyOf(m),
		Embed:       graph.NewParam("inj.embed", nil, d, e),
		Net:         Net{Act: s.Activation.orDefault()},
		Clamp:       AffineSettings{ScaleClamp: s.ScaleClamp}.Bound(),
		Context:     s.Context,
		Elementwise: s.Elementwise,
	}
	emb := l.Embed.Data()
	for i := range emb {
		emb[i] = rng.NormFloat64()
	}
	sizes := append(append([]int{d + s.Context + e}, widths...), s.Elementwise.PerDim())
	for k := 0; k+1 < len(sizes); k++ {
		last := k+2 == len(sizes)
		r := rng
		if last {
			r = nil
		}
		dn := newDense(fmt.Sprintf("inj%d", k), sizes[k], sizes[k+1], nil, r)
		dn.Residual = s.Residual && k > 0 && !last && sizes[k] == sizes[k+1]
		l.Net.Layers = append(l.Net.Layers, dn)
	}
	if s.LearnMask {
		l.learnMask(s.MaskInit)
	}
	if err := l.Validate(); err != nil {
		return nil, err
	}
	return l, nil
}

// Validate checks shapes and that the mask is a valid (hard or soft) mask in Order.
func (l *Injection) Validate() error {
	d := len(l.Order)
	if err := l.Order.Validate(); err != nil {
		return err
	}
	if l.Context < 0 {
		return fmt.Errorf("layers: injection context %d, want >= 0", l.Context)
	}
	if r, c := l.Mask.Dims(); r != d || c != d+l.Context {
		return fmt.Errorf("layers: injection mask is %d×%d, want %d×%d (D×(D+C))", r, c, d, d+l.Context)
	}
	if err := masks.CheckDependency(l.dataPart(l.Mask), l.Order); err != nil {
		return err
	}
	for i := range d {
		for j := d; j < d+l.Context; j++ {
			if v := l.Mask.At(i, j); !(v >= 0 && v <= 1) {
				return fmt.Errorf("layers: injection mask (%d, %d) = %g, context column %d, want a value in [0, 1]", i, j, v, j-d+1)
			}
		}
	}
	if err := l.validateLogits(); err != nil {
		return err
	}
	es := l.Embed.Shape()
	if len(es) != 2 || es[0] != d {
		return fmt.Errorf("layers: injection embedding has shape %v, want %d×E", es, d)
	}
	if len(l.Net.Layers) == 0 {
		return errors.New("layers: injection has no network maps")
	}
	if ws := l.Net.Layers[0].W.Shape(); ws[0] != d+l.Context+es[1] {
		return fmt.Errorf("layers: injection first map has %d inputs, want D+C+E = %d", ws[0], d+l.Context+es[1])
	}
	if err := l.Elementwise.Validate(); err != nil {
		return err
	}
	if ws, p := l.Net.Layers[len(l.Net.Layers)-1].W.Shape(), l.Elementwise.PerDim(); ws[1] != p {
		return fmt.Errorf("layers: injection last map has %d outputs, want %d", ws[1], p)
	}
	return nil
}

// Dim returns D.
func (l *Injection) Dim() int { return len(l.Order) }

// ContextDim returns C.
func (l *Injection) ContextDim() int { return l.Context }

// dataPart returns the D×D data columns of a D×(D+C) mask (a view).
func (l *Injection) dataPart(m *mat.Dense) *mat.Dense {
	d := l.Dim()
	return m.Slice(0, d, 0, d).(*mat.Dense)
}

// ContextPattern is the support of the mask's context columns (D×C; nil without context): output i
// may depend on context input c only where it is 1.
func (l *Injection) ContextPattern() *mat.Dense {
	if l.Context == 0 {
		return nil
	}
	d := l.Dim()
	return masks.Support(l.Mask.Slice(0, d, d, d+l.Context))
}

// Params returns the embedding, the network's weights and biases, and the mask logits if any.
func (l *Injection) Params() []*graph.Param {
	ps := append([]*graph.Param{l.Embed}, l.Net.Params()...)
	if l.Logits != nil {
		ps = append(ps, l.Logits)
	}
	return ps
}

// Pattern is the support of the mask's data part (S for a learnable mask) plus the diagonal.
func (l *Injection) Pattern() *mat.Dense {
	return withDiagonal(masks.Support(l.dataPart(l.Mask)))
}

// expandedMask returns the (D+C)×DH matrix E[j, iH+k] = M[i][j].
func (l *Injection) expandedMask(h int) *mat.Dense {
	d := l.Dim()
	e := mat.NewDense(d+l.Context, d*h, nil)
	for i := 0; i < d; i++ {
		for j := 0; j < d+l.Context; j++ {
			if v := l.Mask.At(i, j); v != 0 {
				for k := 0; k < h; k++ {
					e.Set(j, i*h+k, v)
				}
			}
		}
	}
	return e
}

// Forward adds the batched per-dimension network and the affine map to g (with a zero context,
// if any).
func (l *Injection) Forward(g *graph.Graph, x *G.Node) (y, logdet *G.Node) {
	return l.ForwardContext(g, x, nil)
}

// ForwardContext is Forward with the context ctx (N×C; nil: zero) among the conditioner's inputs.
func (l *Injection) ForwardContext(g *graph.Graph, x, ctx *G.Node) (y, logdet *G.Node) {
	if l.Elementwise.IsSpline() { // z: rows (n, i), dimension i's values adjacent
		sp := l.Elementwise.spline()
		raw := G.Must(G.Reshape(l.rawNode(g, x, ctx), tensor.Shape{x.Shape()[0], l.Dim() * l.Elementwise.PerDim()}))
		return g.Spline(x, raw, sp.Bins, sp.Bound, true)
	}
	s, t := l.affineNodes(g, x, ctx)
	y = G.Must(G.Add(G.Must(G.HadamardProd(x, G.Must(G.Exp(s)))), t))
	return y, graph.RowSum(s)
}

// affineNodes adds the affine map's s (clamped) and t (N×D each) at x to g.
func (l *Injection) affineNodes(g *graph.Graph, x, ctx *G.Node) (s, t *G.Node) {
	n, d := x.Shape()[0], l.Dim()
	z := l.rawNode(g, x, ctx)
	s = G.Must(G.Reshape(G.Must(G.Slice(z, nil, G.S(0))), tensor.Shape{n, d}))
	t = G.Must(G.Reshape(G.Must(G.Slice(z, nil, G.S(1))), tensor.Shape{n, d}))
	return graph.SoftClamp(s, l.Clamp), t
}

// rawNode adds the conditioner's outputs for every row and dimension to g: N·D rows (n, i) of
// cond_i = [m_i ⊙ [x, ctx], e_i]'s P values.
func (l *Injection) rawNode(g *graph.Graph, x, ctx *G.Node) *G.Node {
	n, d := x.Shape()[0], l.Dim()
	in := withContext(g, x, ctx, l.Context)
	first := l.Net.Layers[0]
	w1 := g.Param(first.W)
	h1 := first.W.Shape()[1]
	wx := graph.Rows(w1, 0, d+l.Context)
	we := graph.Rows(w1, d+l.Context, first.W.Shape()[0])
	tiles := make([]*G.Node, d)
	for i := range tiles {
		tiles[i] = wx
	}
	a := G.Must(G.HadamardProd(G.Must(G.Concat(1, tiles...)), l.expandedMaskNode(g, h1)))
	emb := G.Must(G.Reshape(G.Must(G.Mul(g.Param(l.Embed), we)), tensor.Shape{d * h1}))
	z := graph.AddRow(G.Must(G.Mul(in, a)), emb)                                      // N × DH: block i is cond_i's first map
	z = graph.AddRow(G.Must(G.Reshape(z, tensor.Shape{n * d, h1})), g.Param(first.B)) // rows (n, i)
	if len(l.Net.Layers) > 1 {
		rest := Net{Layers: l.Net.Layers[1:], Act: l.Net.Act}
		z = rest.Node(g, l.Net.Act.Node(z))
	}
	return z
}

// conditioner returns raw (s_i, t_i) for every row of x, from cond_i = [m_i ⊙ [x, ctx], e_i] with
// m the effective mask (ctx nil: zero).
func (l *Injection) conditioner(ws []*mat.Dense, m, x, ctx *mat.Dense, i int) *mat.Dense {
	n, d := x.Dims()
	c, e := l.Context, l.Embed.Shape()[1]
	in := mat.NewDense(n, d+c+e, nil)
	emb := l.Embed.Mat().RawRowView(i)
	mi := m.RawRowView(i)
	for r := 0; r < n; r++ {
		row := in.RawRowView(r)
		for j, v := range x.RawRowView(r) {
			row[j] = mi[j] * v
		}
		if ctx != nil {
			for j, v := range ctx.RawRowView(r) {
				row[d+j] = mi[d+j] * v
			}
		}
		copy(row[d+c:], emb)
	}
	return l.Net.Eval(ws, in)
}

// Transform is the numeric forward: one network pass per dimension (a zero context, if any).
func (l *Injection) Transform(x *mat.Dense) (*mat.Dense, []float64) {
	return l.TransformContext(x, nil)
}

// TransformContext is Transform given the context ctx (N×C; nil: zero).
func (l *Injection) TransformContext(x, ctx *mat.Dense) (*mat.Dense, []float64) {
	n, d := x.Dims()
	y := mat.NewDense(n, d, nil)
	logdet := make([]float64, n)
	ws, m := l.Net.weights(), l.effectiveMask()
	el := l.Elementwise.elementwise(l.Clamp)
	for i := 0; i < d; i++ {
		st := l.conditioner(ws, m, x, ctx, i)
		for r := 0; r < n; r++ {
			v, ld := el.forward(x.At(r, i), st.RawRowView(r), 1)
			y.Set(r, i, v)
			logdet[r] += ld
		}
	}
	return y, logdet
}

// Inverse recovers x one degree at a time (dimensions of equal degree together; a zero context).
func (l *Injection) Inverse(y *mat.Dense) (*mat.Dense, []float64) {
	return l.InverseContext(y, nil)
}

// InverseContext is Inverse given the context ctx (N×C; nil: zero).
func (l *Injection) InverseContext(y, ctx *mat.Dense) (*mat.Dense, []float64) {
	n, d := y.Dims()
	x := mat.NewDense(n, d, nil)
	logdet := make([]float64, n)
	ws, m := l.Net.weights(), l.effectiveMask()
	el := l.Elementwise.elementwise(l.Clamp)
	for _, dims := range l.Order.Groups() {
		sts := make([]*mat.Dense, len(dims))
		for k, i := range dims {
			sts[k] = l.conditioner(ws, m, x, ctx, i)
		}
		for k, i := range dims {
			for r := 0; r < n; r++ {
				v, ld := el.inverse(y.At(r, i), sts[k].RawRowView(r), 1)
				x.Set(r, i, v)
				logdet[r] += ld
			}
		}
	}
	return x, logdet
}
