package distributions

import (
	"fmt"
	"math"
	"math/rand"

	"github.com/affineflow/flow/graph"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
	G "gorgonia.org/gorgonia"
)

// Mixture is a learnable mixture of K diagonal Gaussians, a base with several modes (as the bases
// of zuko's GMM and FlowJAX's mixtures, and the MoG of "MAF MoG", Papamakarios et al. 2017):
//
//	log p(y) = log Σ_k w_k N(y; μ_k, diag(σ_k²)),   w = softmax(Logits), σ_k = exp(LogStd_k),
//
// computed as a log-sum-exp over the components (graph.LogSumExpRows).
type Mixture struct {
	Logits *graph.Param // K
	Means  *graph.Param // K×D
	LogStd *graph.Param // K×D
}

// MaxComponents bounds K (a model file's, too).
const MaxComponents = 1024

// NewMixture returns a mixture of k unit Gaussians over d dimensions with equal weights and means
// drawn from N(0, I), so that the components start apart.
func NewMixture(d, k int, rng *rand.Rand) (*Mixture, error) {
	if d < 1 || k < 1 || k > MaxComponents {
		return nil, fmt.Errorf("distributions: a mixture of %d components over %d dimensions, want 1 to %d components and D >= 1", k, d, MaxComponents)
	}
	mu := make([]float64, k*d)
	for i := range mu {
		mu[i] = rng.NormFloat64()
	}
	return &Mixture{Logits: graph.NewParam("base.logits", nil, k), Means: graph.NewParam("base.means", mu, k, d),
		LogStd: graph.NewParam("base.logstd", nil, k, d)}, nil
}

// K returns the number of components.
func (b *Mixture) K() int { return b.Logits.Len() }

// Dim returns D.
func (b *Mixture) Dim() int { return b.Means.Len() / b.K() }

// Params returns the logits, means and log standard deviations.
func (b *Mixture) Params() []*graph.Param { return []*graph.Param{b.Logits, b.Means, b.LogStd} }

// LogProb adds the log-density per row to g.
func (b *Mixture) LogProb(g *graph.Graph, y *G.Node) *G.Node {
	n, d, k := y.Shape()[0], b.Dim(), b.K()
	logits, means, ls := g.Param(b.Logits), g.Param(b.Means), g.Param(b.LogStd)
	lse := G.Must(G.Sum(graph.LogSumExpRows(G.Must(G.Reshape(logits, []int{1, k})))))
	logW := G.Must(G.Sub(logits, lse)) // log softmax
	var comps G.Nodes
	for c := range k {
		mu, lsc := G.Must(G.Slice(means, G.S(c))), G.Must(G.Slice(ls, G.S(c)))
		lw := G.Must(G.Slice(logW, G.S(c)))
		comp := diagonalLogProb(g, y, mu, lsc, d)
		comps = append(comps, G.Must(G.Reshape(G.Must(G.Add(comp, lw)), []int{n, 1})))
	}
	return graph.LogSumExpRows(G.Must(G.Concat(1, comps...)))
}

// logWeights returns log w = log softmax(Logits).
func (b *Mixture) logWeights() []float64 {
	lw := append([]float64(nil), b.Logits.Data()...)
	z := floats.LogSumExp(lw)
	for i := range lw {
		lw[i] -= z
	}
	return lw
}

// LogProbs is the numeric log-density per row.
func (b *Mixture) LogProbs(y *mat.Dense) []float64 {
	n, d := y.Dims()
	k := b.K()
	lw, mu, ls := b.logWeights(), b.Means.Data(), b.LogStd.Data()
	norm := make([]float64, k)
	for c := range k {
		norm[c] = lw[c] - 0.5*float64(d)*log2Pi - floats.Sum(ls[c*d:(c+1)*d])
	}
	out := make([]float64, n)
	terms := make([]float64, k)
	for r := range n {
		row := y.RawRowView(r)
		for c := range k {
			terms[c] = norm[c] - 0.5*squaredZ(row, mu[c*d:(c+1)*d], ls[c*d:(c+1)*d])
		}
		out[r] = floats.LogSumExp(terms)
	}
	return out
}

// Sample draws n rows: a component by its weight, then its Gaussian.
func (b *Mixture) Sample(n int, rng *rand.Rand) *mat.Dense {
	d := b.Dim()
	lw, mu, ls := b.logWeights(), b.Means.Data(), b.LogStd.Data()
	y := mat.NewDense(n, d, nil)
	for r := range n {
		c := drawLog(lw, rng)
		row := y.RawRowView(r)
		for j := range row {
			row[j] = mu[c*d+j] + math.Exp(ls[c*d+j])*rng.NormFloat64()
		}
	}
	return y
}

// drawLog draws an index with probabilities softmax(logw).
func drawLog(logw []float64, rng *rand.Rand) int {
	z := floats.LogSumExp(logw)
	u := rng.Float64()
	for c, v := range logw {
		if u -= math.Exp(v - z); u < 0 {
			return c
		}
	}
	return len(logw) - 1
}
