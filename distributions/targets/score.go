package targets

import (
	"math"
	"math/rand"

	"github.com/affineflow/flow/trainer"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// Flow is what Score needs of a fitted flow q (distributions.Flow).
type Flow interface {
	SampleWithLogProb(n int, rng *rand.Rand) (*mat.Dense, []float64)
	LogProbs(x *mat.Dense) []float64
}

// Scores are how well a flow q fits a target p = p̃/Z, estimated on n draws.
type Scores struct {
	// ELBO is the mean of log p̃(x) − log q(x) over draws x ~ q: log Z − KL(q ‖ p).
	ELBO float64
	// LogZ is the importance-sampling estimate log (1/n) Σ p̃(x)/q(x), x ~ q.
	LogZ float64
	// ESS is the effective sample size of those weights, as a fraction of n, in (0, 1].
	ESS float64
	// KL is KL(p ‖ q), the mean of log p(x) − log q(x) over exact samples x ~ p (NaN when the
	// target has no sampler or no known normalizer).
	KL float64
}

// Score estimates the Scores of q on n draws of q (from rq) and, for KL, n exact samples of t
// (from rp).
func Score(t Target, q Flow, n int, rq, rp *rand.Rand) Scores {
	x, logq := q.SampleWithLogProb(n, rq)
	logw := t.LogDensities(x)
	floats.Sub(logw, logq)
	s := Scores{ELBO: stat.Mean(logw, nil), LogZ: trainer.LogZ(logw), ESS: trainer.ESS(logw), KL: math.NaN()}
	if t.Sample != nil && !math.IsNaN(t.LogZ) {
		xs := t.Sample(n, rp)
		lp := t.LogDensities(xs)
		floats.Sub(lp, q.LogProbs(xs))
		s.KL = stat.Mean(lp, nil) - t.LogZ
	}
	return s
}
