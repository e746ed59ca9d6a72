package layers

import (
	"github.com/affineflow/flow/graph"
	"github.com/affineflow/flow/masks"
	"gonum.org/v1/gonum/mat"
	G "gorgonia.org/gorgonia"
)

// Inverted is layer L used in the other direction: its map (data → noise) is L⁻¹. With an
// autoregressive L this is the inverse autoregressive flow (IAF, Kingma et al. 2016): sampling
// runs L's forward, one conditioner pass; the density runs L's inverse, sequential (D passes for
// MADE, K for K blocks; L.InverseGraph in training, L.Inverse numerically). MAF and IAF are the
// same algebra read in the two directions (Papamakarios et al. 2017, §3.3):
//
//	x → y:  y = L⁻¹(x),  log|det ∂y/∂x| = −log|det ∂L/∂u| at u = y;
//	y → x:  x = L(y)     (one pass).
//
// L must have a graph inverse (CanInvertGraph): the affine map of any mask kind, permutations,
// element-wise affine maps and sequences of them.
type Inverted struct {
	L Layer
}

// Invert returns l used in the other direction, or an error when l has no graph inverse.
func Invert(l Layer) (*Inverted, error) {
	if err := CanInvertGraph(l); err != nil {
		return nil, err
	}
	return &Inverted{L: l}, nil
}

// Dim returns D.
func (l *Inverted) Dim() int { return l.L.Dim() }

// Params returns L's parameters.
func (l *Inverted) Params() []*graph.Param { return l.L.Params() }

// ContextDim returns L's context width.
func (l *Inverted) ContextDim() int { return ContextDim(l.L) }

// Pattern is a pattern of L⁻¹: by Cayley–Hamilton L's Jacobian inverse is a polynomial in it, so
// it is within the union of the patterns of its powers, the support of (I + P)^k for k large enough
// to stop growing (for a triangular map the transitive closure of its dependencies, for a
// permutation its transpose among the cycle's powers).
func (l *Inverted) Pattern() *mat.Dense {
	p := l.L.Pattern()
	acc := withDiagonal(mat.DenseCopyOf(p))
	for {
		var q mat.Dense
		q.Mul(acc, p)
		q.Add(&q, acc)
		next := masks.Support(&q)
		if mat.Equal(next, acc) {
			return acc
		}
		acc = next
	}
}

// Forward adds y = L⁻¹(x) and its log-det to g (L's graph inverse).
func (l *Inverted) Forward(g *graph.Graph, x *G.Node) (y, logdet *G.Node) {
	return l.ForwardContext(g, x, nil)
}

// ForwardContext is Forward at the context ctx (nil: zero).
func (l *Inverted) ForwardContext(g *graph.Graph, x, ctx *G.Node) (y, logdet *G.Node) {
	y, ld := l.L.(GraphInverter).InverseGraph(g, x, ctx)
	return y, G.Must(G.Neg(ld))
}

// InverseGraph adds x = L(y) (one pass) and the log-det of L⁻¹ at x.
func (l *Inverted) InverseGraph(g *graph.Graph, y, ctx *G.Node) (x, logdet *G.Node) {
	x, ld := ForwardContext(l.L, g, y, ctx)
	return x, G.Must(G.Neg(ld))
}

// Transform is y = L⁻¹(x) by L's numeric inverse.
func (l *Inverted) Transform(x *mat.Dense) (*mat.Dense, []float64) { return l.TransformContext(x, nil) }

// TransformContext is Transform at the context ctx.
func (l *Inverted) TransformContext(x, ctx *mat.Dense) (*mat.Dense, []float64) {
	y, ld := InverseContext(l.L, x, ctx)
	return y, negate(ld)
}

// Inverse is x = L(y) by L's numeric forward.
func (l *Inverted) Inverse(y *mat.Dense) (*mat.Dense, []float64) { return l.InverseContext(y, nil) }

// InverseContext is Inverse at the context ctx.
func (l *Inverted) InverseContext(y, ctx *mat.Dense) (*mat.Dense, []float64) {
	x, ld := TransformContext(l.L, y, ctx)
	return x, negate(ld)
}

func negate(v []float64) []float64 {
	for i := range v {
		v[i] = -v[i]
	}
	return v
}
