package layers

import (
	"fmt"
	"math"

	"github.com/affineflow/flow/graph"
	"gonum.org/v1/gonum/mat"
	G "gorgonia.org/gorgonia"
)

// HalfBounded maps the columns of data with a one-sided support onto the real line by the
// inverse softplus, column by column, and leaves the other columns as they are: for column j with
// Side_j = +1 (support (Bound_j, ∞)) or −1 (support (−∞, Bound_j)),
//
//	z = Side·(x − Bound) > 0,  y = log(e^z − 1) = z + log(1 − e^{−z}),
//	log|dy/dx| = −log(1 − e^{−z}),
//
// and the inverse is x = Bound + Side·softplus(y). Like Bounded it gives the density no mass
// outside the support, keeps NLLs in the data's units and has no parameters; with Bounded it
// covers -bounds name=lo: and name=:hi.
type HalfBounded struct {
	Side  []int     // +1: a lower bound, −1: an upper bound, 0: unbounded (identity)
	Bound []float64 // the bound of each column with a Side (ignored for the others)
}

// NewHalfBounded returns the map for the given sides and bounds (finite where a side is set).
func NewHalfBounded(side []int, bound []float64) (*HalfBounded, error) {
	if len(side) != len(bound) || len(side) == 0 {
		return nil, fmt.Errorf("layers: half bounds of %d and %d columns", len(side), len(bound))
	}
	for j, s := range side {
		if s != 0 && s != 1 && s != -1 || s != 0 && !finite(bound[j]) {
			return nil, fmt.Errorf("layers: column %d: side %d, bound %g; want side -1, 0 or 1 and a finite bound", j, s, bound[j])
		}
	}
	return &HalfBounded{Side: append([]int(nil), side...), Bound: append([]float64(nil), bound...)}, nil
}

// Dim returns D.
func (l *HalfBounded) Dim() int { return len(l.Side) }

// Params is empty: the bounds are fixed.
func (l *HalfBounded) Params() []*graph.Param { return nil }

// Pattern is the identity.
func (l *HalfBounded) Pattern() *mat.Dense {
	return withDiagonal(mat.NewDense(l.Dim(), l.Dim(), nil))
}

// Forward adds y and the log-determinant to g. Other columns go through z = 1 (so that the
// logarithm stays finite) and are then passed through.
func (l *HalfBounded) Forward(g *graph.Graph, x *G.Node) (y, logdet *G.Node) {
	d := l.Dim()
	m, notM, side, shift := make([]float64, d), make([]float64, d), make([]float64, d), make([]float64, d)
	for j, s := range l.Side {
		if s != 0 {
			m[j], side[j], shift[j] = 1, float64(s), l.Bound[j]
		} else {
			notM[j] = 1
		}
	}
	// z' = side⊙(x − shift) + (1 − m): z on the half-bounded columns, 1 elsewhere
	z := graph.AddRow(graph.MulRow(graph.SubRow(x, g.ConstVec(shift)), g.ConstVec(side)), g.ConstVec(notM))
	lg := G.Must(G.Log1p(G.Must(G.Neg(G.Must(G.Exp(G.Must(G.Neg(z)))))))) // log(1 − e^{−z})
	y = G.Must(G.Add(graph.MulRow(G.Must(G.Add(z, lg)), g.ConstVec(m)), graph.MulRow(x, g.ConstVec(notM))))
	logdet = G.Must(G.Neg(graph.RowSum(graph.MulRow(lg, g.ConstVec(m)))))
	return y, logdet
}

// Transform is the numeric forward; a value outside its support gives NaN (density zero there).
func (l *HalfBounded) Transform(x *mat.Dense) (*mat.Dense, []float64) {
	return columnwise(x, l.active, func(v float64, j int) (float64, float64) {
		z := float64(l.Side[j]) * (v - l.Bound[j])
		lg := math.Log(-math.Expm1(-z))
		return z + lg, -lg
	})
}

// Inverse is x = Bound + Side·softplus(y) on the half-bounded columns.
func (l *HalfBounded) Inverse(y *mat.Dense) (*mat.Dense, []float64) {
	return columnwise(y, l.active, func(v float64, j int) (float64, float64) {
		z := softplus(v)
		return l.Bound[j] + float64(l.Side[j])*z, -math.Log(-math.Expm1(-z))
	})
}

// active reports whether column j has a one-sided support.
func (l *HalfBounded) active(j int) bool { return l.Side[j] != 0 }
