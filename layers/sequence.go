package layers

import (
	"github.com/affineflow/flow/graph"
	"github.com/affineflow/flow/masks"
	"gonum.org/v1/gonum/mat"
	G "gorgonia.org/gorgonia"
)

// Sequence is the composition of its layers, applied in order (data → noise): a mask kind that
// builds more than one layer per stack step returns one (the "block" kind: an AffineInjection
// followed by a block-diagonal Linear). distributions.Build flattens it into the flow's layers, so
// model files never contain it. Its log-determinant is the sum of its layers', its Pattern the
// dependency pattern of the composition.
type Sequence []Layer

// Dim returns D (0 for an empty sequence).
func (s Sequence) Dim() int {
	if len(s) == 0 {
		return 0
	}
	return s[0].Dim()
}

// Params returns the parameters of every layer.
func (s Sequence) Params() []*graph.Param {
	var ps []*graph.Param
	for _, l := range s {
		ps = append(ps, l.Params()...)
	}
	return ps
}

// Pattern is the 0/1 pattern of the composition: P = P_last ⋯ P_first, binarized.
func (s Sequence) Pattern() *mat.Dense {
	d := s.Dim()
	p := identity(d)
	for _, l := range s {
		var q mat.Dense
		q.Mul(l.Pattern(), p)
		p = masks.Support(&q)
	}
	return p
}

// ContextDim is the largest context width of its layers.
func (s Sequence) ContextDim() int {
	c := 0
	for _, l := range s {
		c = max(c, ContextDim(l))
	}
	return c
}

// Forward adds the composition and the summed log-determinants to g.
func (s Sequence) Forward(g *graph.Graph, x *G.Node) (y, logdet *G.Node) {
	return s.ForwardContext(g, x, nil)
}

// ForwardContext is Forward with the context passed to the layers that take one.
func (s Sequence) ForwardContext(g *graph.Graph, x, ctx *G.Node) (y, logdet *G.Node) {
	for _, l := range s {
		var ld *G.Node
		x, ld = ForwardContext(l, g, x, ctx)
		if logdet == nil {
			logdet = ld
		} else {
			logdet = G.Must(G.Add(logdet, ld))
		}
	}
	return x, logdet
}

// Transform is the numeric forward.
func (s Sequence) Transform(x *mat.Dense) (*mat.Dense, []float64) { return s.TransformContext(x, nil) }

// TransformContext is Transform with the context passed to the layers that take one.
func (s Sequence) TransformContext(x, ctx *mat.Dense) (*mat.Dense, []float64) {
	n, _ := x.Dims()
	total := make([]float64, n)
	for _, l := range s {
		var ld []float64
		x, ld = TransformContext(l, x, ctx)
		for i, v := range ld {
			total[i] += v
		}
	}
	return x, total
}

// Inverse inverts the layers in reverse order.
func (s Sequence) Inverse(y *mat.Dense) (*mat.Dense, []float64) { return s.InverseContext(y, nil) }

// InverseContext is Inverse with the context passed to the layers that take one.
func (s Sequence) InverseContext(y, ctx *mat.Dense) (*mat.Dense, []float64) {
	n, _ := y.Dims()
	total := make([]float64, n)
	for k := len(s) - 1; k >= 0; k-- {
		var ld []float64
		y, ld = InverseContext(s[k], y, ctx)
		for i, v := range ld {
			total[i] += v
		}
	}
	return y, total
}
