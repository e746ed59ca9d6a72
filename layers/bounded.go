package layers

import (
	"fmt"
	"math"

	"github.com/affineflow/flow/graph"
	"gonum.org/v1/gonum/mat"
	G "gorgonia.org/gorgonia"
)

// Bounded maps the columns of data with a bounded support onto the real line, column by column,
// and leaves the other columns as they are: for a bounded column j with support (Lo_j, Hi_j),
//
//	u = (x − Lo)/(Hi − Lo),  y = logit(u) = log u − log(1 − u),
//	log|dy/dx| = −log(Hi − Lo) − log u − log(1 − u),
//
// and the inverse is x = Lo + (Hi − Lo)·σ(y). Placed first in a flow, it gives the density no
// mass outside the box (log p = −∞ there) while NLLs stay in the data's units (its log-det is
// counted), and every sample lies inside the bounds. It has no parameters.
type Bounded struct {
	Lo, Hi []float64 // per column; a column with Lo = −Inf and Hi = +Inf is unbounded (identity)
}

// NewBounded returns the map for the given bounds, checking that every column is either unbounded
// (both infinite) or has finite Lo < Hi.
func NewBounded(lo, hi []float64) (*Bounded, error) {
	if len(lo) != len(hi) || len(lo) == 0 {
		return nil, fmt.Errorf("layers: bounds of %d and %d columns", len(lo), len(hi))
	}
	for j := range lo {
		if !isUnbounded(lo[j], hi[j]) && !(finite(lo[j]) && finite(hi[j]) && lo[j] < hi[j]) {
			return nil, fmt.Errorf("layers: column %d: bounds (%g, %g), want finite lo < hi, or both infinite (unbounded)", j, lo[j], hi[j])
		}
	}
	return &Bounded{Lo: append([]float64(nil), lo...), Hi: append([]float64(nil), hi...)}, nil
}

func isUnbounded(lo, hi float64) bool { return math.IsInf(lo, -1) && math.IsInf(hi, 1) }

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// Dim returns D.
func (l *Bounded) Dim() int { return len(l.Lo) }

// Bounded reports whether column j has a bounded support.
func (l *Bounded) Bounded(j int) bool { return !isUnbounded(l.Lo[j], l.Hi[j]) }

// Params is empty: the bounds are fixed.
func (l *Bounded) Params() []*graph.Param { return nil }

// Pattern is the identity.
func (l *Bounded) Pattern() *mat.Dense { return withDiagonal(mat.NewDense(l.Dim(), l.Dim(), nil)) }

// constants returns, per column, the bounded mask m (1 or 0), the shift (Lo, or 0) and the scale
// 1/(Hi − Lo) (or 1) that the graph forward uses.
func (l *Bounded) constants() (m, shift, scale []float64) {
	d := l.Dim()
	m, shift, scale = make([]float64, d), make([]float64, d), make([]float64, d)
	for j := range d {
		scale[j] = 1
		if l.Bounded(j) {
			m[j], shift[j], scale[j] = 1, l.Lo[j], 1/(l.Hi[j]-l.Lo[j])
		}
	}
	return m, shift, scale
}

// Forward adds y and the log-determinant to g. Unbounded columns go through u = 1/2 (so that the
// logit stays finite) and are then passed through: y = m⊙logit(u') + (1 − m)⊙x with
// u' = m⊙u + (1 − m)/2.
func (l *Bounded) Forward(g *graph.Graph, x *G.Node) (y, logdet *G.Node) {
	m, shift, scale := l.constants()
	notM, half := make([]float64, len(m)), make([]float64, len(m))
	logScale := make([]float64, len(m))
	for j, v := range m {
		notM[j], half[j] = 1-v, (1-v)/2
		logScale[j] = v * math.Log(scale[j])
	}
	mn := g.ConstVec(m)
	u := graph.AddRow(graph.MulRow(graph.MulRow(graph.SubRow(x, g.ConstVec(shift)), g.ConstVec(scale)), mn), g.ConstVec(half))
	logU := G.Must(G.Log(u))
	log1mU := G.Must(G.Log1p(G.Must(G.Neg(u))))
	logit := G.Must(G.Sub(logU, log1mU))
	y = G.Must(G.Add(graph.MulRow(logit, mn), graph.MulRow(x, g.ConstVec(notM))))
	perCol := graph.MulRow(G.Must(G.Add(logU, log1mU)), mn) // log u + log(1 − u) on bounded columns
	logdet = G.Must(G.Sub(g.Fill(g.Scalar(sum(logScale)), x.Shape()[0]), graph.RowSum(perCol)))
	return y, logdet
}

// Transform is the numeric forward. A value outside its column's bounds gives NaN or ±Inf (the
// density is zero there).
func (l *Bounded) Transform(x *mat.Dense) (*mat.Dense, []float64) {
	return columnwise(x, l.Bounded, func(v float64, j int) (float64, float64) {
		u := (v - l.Lo[j]) / (l.Hi[j] - l.Lo[j])
		lu, l1u := math.Log(u), math.Log1p(-u)
		return lu - l1u, -(math.Log(l.Hi[j]-l.Lo[j]) + lu + l1u)
	})
}

// Inverse is x = Lo + (Hi − Lo)·σ(y) on the bounded columns, with log|dy/dx| at that x.
func (l *Bounded) Inverse(y *mat.Dense) (*mat.Dense, []float64) {
	return columnwise(y, l.Bounded, func(v float64, j int) (float64, float64) {
		// log σ(v) and log(1 − σ(v)) without overflow: −softplus(−v) and −softplus(v)
		lu, l1u := -softplus(-v), -softplus(v)
		return l.Lo[j] + (l.Hi[j]-l.Lo[j])*math.Exp(lu), -(math.Log(l.Hi[j]-l.Lo[j]) + lu + l1u)
	})
}

// columnwise maps the columns j of in with active(j) through f, which returns the new value and
// the column's log|dy/dx| at the point, passes the other columns through, and sums the log-dets
// of each row: the numeric paths of the elementwise support maps (Bounded, HalfBounded).
func columnwise(in *mat.Dense, active func(j int) bool, f func(v float64, j int) (out, ld float64)) (*mat.Dense, []float64) {
	n, d := in.Dims()
	out := mat.NewDense(n, d, nil)
	logdet := make([]float64, n)
	for r := range n {
		for j := range d {
			v := in.At(r, j)
			if !active(j) {
				out.Set(r, j, v)
				continue
			}
			o, ld := f(v, j)
			out.Set(r, j, o)
			logdet[r] += ld
		}
	}
	return out, logdet
}
