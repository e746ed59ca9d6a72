package distributions

import (
	"math"
	"math/rand"

	"github.com/affineflow/flow/graph"
	"gonum.org/v1/gonum/mat"
	G "gorgonia.org/gorgonia"
)

// Base is the density of the noise y.
type Base interface {
	Dim() int
	// LogProb adds log p(y) per row of y (N×D) to g: a vector of length N.
	LogProb(g *graph.Graph, y *G.Node) *G.Node
	// LogProbs is the numeric twin of LogProb.
	LogProbs(y *mat.Dense) []float64
	// Sample draws n rows.
	Sample(n int, rng *rand.Rand) *mat.Dense
	// Params are the learnable parameters (nil for a fixed density).
	Params() []*graph.Param
}

var log2Pi = math.Log(2 * math.Pi)

// StandardNormal is N(0, I) in D dimensions: log p(y) = -½ Σ y² - (D/2) log 2π.
type StandardNormal struct{ D int }

// Dim returns D.
func (b StandardNormal) Dim() int { return b.D }

// Params returns nil.
func (b StandardNormal) Params() []*graph.Param { return nil }

// LogProb adds -½ Σ_j y_j² - (D/2) log 2π per row to g.
func (b StandardNormal) LogProb(g *graph.Graph, y *G.Node) *G.Node {
	sq := graph.RowSum(G.Must(G.Square(y)))
	return G.Must(G.Sub(G.Must(G.Mul(sq, g.Scalar(-0.5))), g.Scalar(0.5*float64(b.D)*log2Pi)))
}

// LogProbs is the numeric log-density per row.
func (b StandardNormal) LogProbs(y *mat.Dense) []float64 {
	_, d := y.Dims()
	out := rowSquares(y)
	for r, s := range out {
		out[r] = -0.5*s - 0.5*float64(d)*log2Pi
	}
	return out
}

// rowSquares returns |y_r|² for every row r of y.
func rowSquares(y *mat.Dense) []float64 {
	n, _ := y.Dims()
	out := make([]float64, n)
	for r := range out {
		for _, v := range y.RawRowView(r) {
			out[r] += v * v
		}
	}
	return out
}

// Sample draws n rows of independent standard normals.
func (b StandardNormal) Sample(n int, rng *rand.Rand) *mat.Dense {
	y := mat.NewDense(n, b.D, nil)
	raw := y.RawMatrix().Data
	for i := range raw {
		raw[i] = rng.NormFloat64()
	}
	return y
}

// DiagonalNormal is N(Mean, diag(exp(2·LogStd))) with learnable Mean and LogStd:
// log p(y) = Σ_j [-½ ((y_j - μ_j)/σ_j)² - log σ_j] - (D/2) log 2π.
type DiagonalNormal struct {
	Mean, LogStd *graph.Param // vectors of length D
}

// NewDiagonalNormal returns the learnable N(0, I).
func NewDiagonalNormal(d int) *DiagonalNormal {
	return &DiagonalNormal{Mean: graph.NewParam("base.mean", nil, d), LogStd: graph.NewParam("base.logstd", nil, d)}
}

// Dim returns D.
func (b *DiagonalNormal) Dim() int { return b.Mean.Len() }

// Params returns Mean and LogStd.
func (b *DiagonalNormal) Params() []*graph.Param { return []*graph.Param{b.Mean, b.LogStd} }

// LogProb adds the log-density per row to g.
func (b *DiagonalNormal) LogProb(g *graph.Graph, y *G.Node) *G.Node {
	return diagonalLogProb(g, y, g.Param(b.Mean), g.Param(b.LogStd), b.Dim())
}

// diagonalLogProb adds log N(y; μ, diag(exp(2·ls))) per row of y to g, μ and ls vectors of
// length d: −½ Σ_j ((y_j − μ_j)/σ_j)² − Σ_j ls_j − (d/2) log 2π.
func diagonalLogProb(g *graph.Graph, y, mu, ls *G.Node, d int) *G.Node {
	z := graph.MulRow(graph.SubRow(y, mu), G.Must(G.Exp(G.Must(G.Neg(ls)))))
	sq := G.Must(G.Mul(graph.RowSum(G.Must(G.Square(z))), g.Scalar(-0.5)))
	c := G.Must(G.Add(G.Must(G.Sum(ls)), g.Scalar(0.5*float64(d)*log2Pi)))
	return G.Must(G.Sub(sq, c))
}

// squaredZ is Σ_j ((y_j − μ_j)·exp(−ls_j))², the quadratic form of a diagonal Gaussian.
func squaredZ(y, mu, ls []float64) float64 {
	s := 0.0
	for j, v := range y {
		z := (v - mu[j]) * math.Exp(-ls[j])
		s += z * z
	}
	return s
}

// LogProbs is the numeric log-density per row.
func (b *DiagonalNormal) LogProbs(y *mat.Dense) []float64 {
	n, d := y.Dims()
	mu, ls := b.Mean.Data(), b.LogStd.Data()
	c := 0.5 * float64(d) * log2Pi
	for _, v := range ls {
		c += v
	}
	out := make([]float64, n)
	for r := 0; r < n; r++ {
		out[r] = -0.5*squaredZ(y.RawRowView(r), mu, ls) - c
	}
	return out
}

// Sample draws n rows.
func (b *DiagonalNormal) Sample(n int, rng *rand.Rand) *mat.Dense {
	d := b.Dim()
	mu, ls := b.Mean.Data(), b.LogStd.Data()
	y := mat.NewDense(n, d, nil)
	for r := 0; r < n; r++ {
		row := y.RawRowView(r)
		for j := range row {
			row[j] = mu[j] + math.Exp(ls[j])*rng.NormFloat64()
		}
	}
	return y
}
