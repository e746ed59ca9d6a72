package distributions

import (
	"github.com/affineflow/flow/graph"
	"github.com/affineflow/flow/internal/nll"
	"gonum.org/v1/gonum/mat"
)

// NLL returns the mean negative log-likelihood of the rows of x, in nats per row:
// −(1/N) Σ_n log p(x_n). A row of log-density −∞ makes it +Inf.
func (f *Flow) NLL(x *mat.Dense) float64 { return f.NLLContext(x, nil) }

// NLLContext is NLL of p(x | ctx), ctx holding one context row per row of x (nil: zero).
func (f *Flow) NLLContext(x, ctx *mat.Dense) float64 { return MeanNLL(f.LogProbsContext(x, ctx)) }

// MeanNLL returns −(1/N) Σ lp, the mean negative log-likelihood of per-row log-densities lp.
func MeanNLL(lp []float64) float64 { return nll.Mean(lp) }

// NumParams returns the number of scalar parameters the flow trains (Params; a frozen layer such
// as the standardization has none).
func (f *Flow) NumParams() int { return graph.CountParams(f.Params()) }
