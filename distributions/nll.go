package distributions

import (
	"github.com/affineflow/flow/graph"
	"gonum.org/v1/gonum/mat"
)

// NLL returns the mean negative log-likelihood of the rows of x, in nats per row:
// −(1/N) Σ_n log p(x_n). A row of log-density −∞ makes it +Inf.
func (f *Flow) NLL(x *mat.Dense) float64 { return f.NLLContext(x, nil) }

// NLLContext is NLL of p(x | ctx), ctx holding one context row per row of x (nil: zero).
func (f *Flow) NLLContext(x, ctx *mat.Dense) float64 { return MeanNLL(f.LogProbsContext(x, ctx)) }

// MeanNLL returns −(1/N) Σ lp, the mean negative log-likelihood of per-row log-densities lp.
func MeanNLL(lp []float64) float64 {
	s := 0.0
	for _, v := range lp {
		s -= v
	}
	return s / float64(len(lp))
}

// NumParams returns the number of scalar parameters of the flow, the trained ones and the frozen
// (a standardization's shift and scale).
func (f *Flow) NumParams() int { return graph.CountParams(f.Params()) }
