package distributions

import (
	"errors"
	"fmt"
	"math"
	"math/rand"

	"github.com/affineflow/flow/graph"
	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/masks"
	"gonum.org/v1/gonum/mat"
	G "gorgonia.org/gorgonia"
)

// MADEMixture is MADE MoG, the base of "MAF MoG" (Papamakarios et al. 2017, §3 and §4; Germain et
// al. 2015): an autoregressive density whose every conditional is a mixture of K Gaussians, with
// the mixtures' parameters from one masked MLP on the earlier dimensions (in Order):
//
//	p(y) = Π_i Σ_k π_ik N(y_i; μ_ik, σ_ik²),   (logits_ik, μ_ik, raw_ik) = MADE(y_<i),
//	π_i = softmax_k(logits_i·),   σ_ik = exp(C·tanh(raw_ik/C)).
//
// The net's last map has 3K·D outputs in blocks of D: the logits of components 0..K-1, then their
// means, then their raw log standard deviations (column r·D + i belongs to dimension i).
// Sampling draws the dimensions degree by degree, one net pass per degree. Use it by pointer.
type MADEMixture struct {
	Order masks.Degrees
	K     int
	Net   layers.Net
	Clamp float64 // C; 0 means no bound
}

// NewMADEMixture returns a MADE MoG base of K components over len(order) dimensions whose net has
// the hidden widths and activation of s (s.Context, Residual and RandomDegrees are not used) and
// bounds the log standard deviations by s.Bound(). Every map is drawn from rng (PyTorch's default
// initialization), the last one too, so that the components start apart.
func NewMADEMixture(order masks.Degrees, k int, s layers.AffineSettings, rng *rand.Rand) (*MADEMixture, error) {
	if rng == nil {
		return nil, errors.New("distributions: NewMADEMixture needs a *rand.Rand")
	}
	if err := order.Validate(); err != nil {
		return nil, err
	}
	if k < 1 || k > MaxComponents {
		return nil, fmt.Errorf("distributions: a MADE mixture of %d components, want 1 to %d", k, MaxComponents)
	}
	act := s.Activation
	if act == "" {
		act = layers.ReLU
	}
	ms, _ := masks.MADE(order, s.Widths(), 3*k, nil)
	b := &MADEMixture{Order: order, K: k, Net: layers.Net{Layers: layers.MaskedMaps("base.made", ms, rng), Act: act},
		Clamp: s.Bound()}
	return b, b.Validate()
}

// Validate checks the shapes and that the net's masks are strictly autoregressive in Order.
func (b *MADEMixture) Validate() error {
	d := len(b.Order)
	if b.K < 1 || b.K > MaxComponents {
		return fmt.Errorf("distributions: a MADE mixture of %d components, want 1 to %d", b.K, MaxComponents)
	}
	if len(b.Net.Layers) == 0 || b.Clamp < 0 || math.IsNaN(b.Clamp) {
		return fmt.Errorf("distributions: a MADE mixture needs a net and a clamp >= 0")
	}
	if in := b.Net.Layers[0].W.Shape()[0]; in != d {
		return fmt.Errorf("distributions: the MADE mixture's net reads %d values, want D = %d", in, d)
	}
	if out := b.Net.Layers[len(b.Net.Layers)-1].W.Shape()[1]; out != 3*b.K*d {
		return fmt.Errorf("distributions: the MADE mixture's net returns %d values, want 3·K·D = %d", out, 3*b.K*d)
	}
	return masks.Check(layers.PathMasks(b.Net.Layers), b.Order)
}

// Dim returns D.
func (b *MADEMixture) Dim() int { return len(b.Order) }

// Params returns the net's weights and biases.
func (b *MADEMixture) Params() []*graph.Param { return b.Net.Params() }

// LogProb adds the log-density per row to g: the net, then one fused node
// (graph.MixtureLogProb), or when g.Plain gorgonia's own ops: per dimension a log-sum-exp over
// the components of log π_ik + log N(y_i; μ_ik, σ_ik²), on (N·D)×K matrices
// (graph.LogSumExpRows), then a row sum.
func (b *MADEMixture) LogProb(g *graph.Graph, y *G.Node) *G.Node {
	n, d, k := y.Shape()[0], b.Dim(), b.K
	raw := b.Net.Node(g, y)
	if !g.Plain {
		return g.MixtureLogProb(y, raw, k, b.Clamp)
	}
	block := func(r int) *G.Node { return graph.Cols(raw, r*d, (r+1)*d) }
	flat := func(m *G.Node) *G.Node { return G.Must(G.Reshape(m, []int{n * d, 1})) }
	var joint, logits G.Nodes
	for c := range k {
		lg := block(c)
		ls := graph.SoftClamp(block(2*k+c), b.Clamp)
		z := G.Must(G.HadamardProd(G.Must(G.Sub(y, block(k+c))), G.Must(G.Exp(G.Must(G.Neg(ls))))))
		lp := G.Must(G.Sub(G.Must(G.Sub(lg, ls)), G.Must(G.Mul(G.Must(G.Square(z)), g.Scalar(0.5)))))
		joint, logits = append(joint, flat(lp)), append(logits, flat(lg))
	}
	cond := G.Must(G.Sub(graph.LogSumExpRows(G.Must(G.Concat(1, joint...))), graph.LogSumExpRows(G.Must(G.Concat(1, logits...)))))
	sum := graph.RowSum(G.Must(G.Reshape(cond, []int{n, d})))
	return G.Must(G.Sub(sum, g.Scalar(0.5*float64(d)*log2Pi)))
}

// LogProbs is the numeric log-density per row: one net pass, then per value the graph node's
// formula (graph.MixtureLogDensity).
func (b *MADEMixture) LogProbs(y *mat.Dense) []float64 {
	n, d := y.Dims()
	raw := b.Net.Eval(b.Net.Weights(), y)
	out := make([]float64, n)
	w := graph.NewMixtureScratch(b.K)
	for r := range n {
		row, rr := y.RawRowView(r), raw.RawRowView(r)
		for i := range d {
			out[r] += graph.MixtureLogDensity(rr, i, d, row[i], b.Clamp, w)
		}
	}
	return out
}

// Sample draws n rows degree by degree: one net pass on the rows drawn so far, then for every
// dimension of the degree a component by its weight and a value from its Gaussian.
func (b *MADEMixture) Sample(n int, rng *rand.Rand) *mat.Dense {
	d, k := b.Dim(), b.K
	ws := b.Net.Weights()
	y := mat.NewDense(n, d, nil)
	w := make([]float64, k)
	for _, dims := range b.Order.Groups() {
		raw := b.Net.Eval(ws, y)
		for r := range n {
			rr, row := raw.RawRowView(r), y.RawRowView(r)
			for _, i := range dims {
				for c := range k {
					w[c] = rr[c*d+i]
				}
				c := drawLog(w, rng)
				ls := graph.SoftClampValue(rr[(2*k+c)*d+i], b.Clamp)
				row[i] = rr[(k+c)*d+i] + math.Exp(ls)*rng.NormFloat64()
			}
		}
	}
	return y
}
