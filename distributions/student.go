package distributions

import (
	"fmt"
	"math"
	"math/rand"
	randv2 "math/rand/v2"

	"github.com/affineflow/flow/graph"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
	G "gorgonia.org/gorgonia"
)

// StudentT is the D-dimensional Student-t with Nu degrees of freedom, location 0 and scale
// matrix I:
//
//	log p(y) = log Γ((ν+D)/2) − log Γ(ν/2) − (D/2) log(νπ) − ((ν+D)/2) log(1 + |y|²/ν).
//
// Its log-density falls like −(ν+D) log|y| instead of −|y|²/2, so a row that the flow maps far
// from the bulk costs tens of nats, not thousands: the "Studentising flows" of Alexanderson and
// Henter (2020), whose heavier tails make maximum likelihood less sensitive to outliers. As
// ν → ∞ it becomes N(0, I). Nu is fixed, not learned.
type StudentT struct {
	D  int
	Nu float64
}

// NewStudentT returns the Student-t base of dimension d with nu degrees of freedom; nu must lie in
// (0, MaxNu].
func NewStudentT(d int, nu float64) (StudentT, error) {
	if !(nu > 0 && nu <= MaxNu) {
		return StudentT{}, fmt.Errorf("distributions: Student-t degrees of freedom %v, want a positive number at most %g (MaxNu)", nu, float64(MaxNu))
	}
	return StudentT{D: d, Nu: nu}, nil
}

// Dim returns D.
func (b StudentT) Dim() int { return b.D }

// Params returns nil: ν is fixed.
func (b StudentT) Params() []*graph.Param { return nil }

// logNorm is the constant log Γ((ν+D)/2) − log Γ(ν/2) − (D/2) log(νπ).
func (b StudentT) logNorm() float64 {
	a, _ := math.Lgamma((b.Nu + float64(b.D)) / 2)
	c, _ := math.Lgamma(b.Nu / 2)
	return a - c - float64(b.D)/2*math.Log(b.Nu*math.Pi)
}

// LogProb adds log p(y) per row of y (N×D) to g.
func (b StudentT) LogProb(g *graph.Graph, y *G.Node) *G.Node {
	sq := graph.RowSum(G.Must(G.Square(y)))
	l := G.Must(G.Log1p(G.Must(G.Mul(sq, g.Scalar(1/b.Nu)))))
	return G.Must(G.Add(G.Must(G.Mul(l, g.Scalar(-(b.Nu+float64(b.D))/2))), g.Scalar(b.logNorm())))
}

// LogProbs is the numeric log-density per row.
func (b StudentT) LogProbs(y *mat.Dense) []float64 {
	out := rowSquares(y)
	c, k := b.logNorm(), -(b.Nu+float64(b.D))/2
	for r, s := range out {
		out[r] = c + k*math.Log1p(s/b.Nu)
	}
	return out
}

// Sample draws n rows: y = z·√(ν/w) with z ~ N(0, I) and w ~ χ²(ν), one w per row.
func (b StudentT) Sample(n int, rng *rand.Rand) *mat.Dense {
	chi2 := distuv.Gamma{Alpha: b.Nu / 2, Beta: 0.5, Src: randv2.NewPCG(rng.Uint64(), rng.Uint64())}
	y := mat.NewDense(n, b.D, nil)
	for r := range n {
		row := y.RawRowView(r)
		for j := range row {
			row[j] = rng.NormFloat64()
		}
		f := math.Sqrt(b.Nu / chi2.Rand())
		for j := range row {
			row[j] *= f
		}
	}
	return y
}
