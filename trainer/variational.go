package trainer

import (
	"context"
	"errors"
	"math"
	"math/rand"

	"github.com/affineflow/flow/graph"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
	G "gorgonia.org/gorgonia"
)

// Sampler is a model that samples in a graph (distributions.Flow): base draws z, and for them the
// reparameterized rows x and their log-density log q(x), as nodes whose gradients with respect to
// Params are the pathwise gradients.
type Sampler interface {
	SampleBase(n int, rng *rand.Rand) *mat.Dense
	SampleGraph(g *graph.Graph, z *G.Node) (x, logq *G.Node)
	Params() []*graph.Param
}

// LogDensity adds an unnormalized log-density log p̃(x) per row of x (N×D) to g: the target of a
// variational fit, known up to its normalizer Z = ∫ p̃.
type LogDensity func(g *graph.Graph, x *G.Node) *G.Node

// reverseKL is the Model whose "log-likelihood" of base draws z is log p̃(x) − log q(x) at
// x = f⁻¹(z): maximizing its mean maximizes the ELBO.
type reverseKL struct {
	q      Sampler
	target LogDensity
}

func (m reverseKL) LogProb(g *graph.Graph, z *G.Node) *G.Node {
	x, lq := m.q.SampleGraph(g, z)
	return G.Must(G.Sub(m.target(g, x), lq))
}

func (m reverseKL) Params() []*graph.Param { return m.q.Params() }

// FitVariational fits q to the unnormalized density p̃ by reverse KL: it maximizes the evidence
// lower bound
//
//	ELBO = E_q[log p̃(x) − log q(x)] = log Z − KL(q ‖ p),   p = p̃/Z,
//
// estimated on base draws pushed through q's graph sampler (reparameterized gradients; Rezende &
// Mohamed 2015, §4), with every Setting of Fit: Adam, schedules, clipping, checkpoints, and early
// stopping on a held-out ELBO estimate (s.ValDraws draws, fixed; s.Draws fresh draws per epoch).
// Result's NLLs are −ELBO (BestValNLL = −the best held-out ELBO); each epoch also reports the ESS
// of the importance weights p̃/q on the held-out draws (EpochStats.ESS). At the end q holds the
// weights of the best held-out ELBO.
func FitVariational(ctx context.Context, q Sampler, target LogDensity, s Settings) (*Result, error) {
	s, err := s.withDefaults()
	if err != nil {
		return nil, err
	}
	if target == nil {
		return nil, errors.New("trainer: FitVariational needs a target log-density")
	}
	s.ess = true
	return fitDraws(ctx, reverseKL{q, target}, q.SampleBase, s)
}

// ESS returns the effective sample size of importance weights w_r = exp(logw_r), as a fraction
// of their number n: (Σw)² / (n Σw²), computed in log space (Kish 1965).
func ESS(logw []float64) float64 {
	if len(logw) == 0 {
		return math.NaN()
	}
	twice := make([]float64, len(logw))
	floats.ScaleTo(twice, 2, logw)
	return math.Exp(2*floats.LogSumExp(logw)-floats.LogSumExp(twice)) / float64(len(logw))
}

// LogZ returns the importance-sampling estimate of log Z from log-weights log p̃(x) − log q(x) at
// draws x ~ q: log (1/n) Σ exp(logw_r), a lower bound in expectation that tightens as q → p.
func LogZ(logw []float64) float64 {
	return floats.LogSumExp(logw) - math.Log(float64(len(logw)))
}
