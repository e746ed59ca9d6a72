package distributions

import (
	"fmt"
	"math"
	"math/rand"

	"github.com/affineflow/flow/graph"
	"gonum.org/v1/gonum/mat"
	G "gorgonia.org/gorgonia"
)

// LearnedStudentT is StudentT whose degrees of freedom are learned with the flow: ν = exp(LogNu),
// so that maximum likelihood chooses how heavy the tails are (as ν → ∞ the base becomes N(0, I)).
// Its graph log-density differentiates log Γ by the digamma function (graph.LogGamma).
type LearnedStudentT struct {
	D     int
	LogNu *graph.Param // length 1
}

// NewLearnedStudentT returns the learnable Student-t base starting at nu degrees of freedom.
func NewLearnedStudentT(d int, nu float64) (*LearnedStudentT, error) {
	if _, err := NewStudentT(d, nu); err != nil {
		return nil, err
	}
	return &LearnedStudentT{D: d, LogNu: graph.NewParam("base.lognu", []float64{math.Log(nu)}, 1)}, nil
}

// Nu returns the current degrees of freedom.
func (b *LearnedStudentT) Nu() float64 { return math.Exp(b.LogNu.Data()[0]) }

// Fixed returns the Student-t at the current ν.
func (b *LearnedStudentT) Fixed() StudentT { return StudentT{D: b.D, Nu: b.Nu()} }

// Dim returns D.
func (b *LearnedStudentT) Dim() int { return b.D }

// Params returns LogNu.
func (b *LearnedStudentT) Params() []*graph.Param { return []*graph.Param{b.LogNu} }

// LogProb adds log p(y) per row to g, with ν a function of the parameter:
// log Γ((ν+D)/2) − log Γ(ν/2) − (D/2) log(νπ) − ((ν+D)/2) log(1 + |y|²/ν).
func (b *LearnedStudentT) LogProb(g *graph.Graph, y *G.Node) *G.Node {
	d := float64(b.D)
	nu := G.Must(G.Exp(G.Must(G.Sum(g.Param(b.LogNu))))) // a scalar
	half := func(n *G.Node) *G.Node { return G.Must(G.Mul(n, g.Scalar(0.5))) }
	nuD := G.Must(G.Add(nu, g.Scalar(d)))
	norm := G.Must(G.Sub(graph.LogGamma(half(nuD)), graph.LogGamma(half(nu))))
	norm = G.Must(G.Sub(norm, G.Must(G.Mul(G.Must(G.Log(G.Must(G.Mul(nu, g.Scalar(math.Pi))))), g.Scalar(d/2)))))
	sq := graph.RowSum(G.Must(G.Square(y)))
	l := G.Must(G.Log1p(G.Must(G.Div(sq, nu))))
	return G.Must(G.Add(G.Must(G.Mul(l, G.Must(G.Neg(half(nuD))))), norm))
}

// LogProbs is the numeric log-density per row.
func (b *LearnedStudentT) LogProbs(y *mat.Dense) []float64 { return b.Fixed().LogProbs(y) }

// Sample draws n rows at the current ν.
func (b *LearnedStudentT) Sample(n int, rng *rand.Rand) *mat.Dense { return b.Fixed().Sample(n, rng) }

// String names the base.
func (b *LearnedStudentT) String() string {
	return fmt.Sprintf("student-t (learned ν = %.4g)", b.Nu())
}
