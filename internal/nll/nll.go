// Package nll holds the one definition of the mean negative log-likelihood, shared by the flow
// (distributions.Flow.NLL, distributions.MeanNLL) and the trainer's validation (Evaluator.NLL).
package nll

// Mean returns −(1/N) Σ lp, in nats per row, summing in order (a row of log-density −∞ makes
// it +Inf; of NaN, NaN).
func Mean(lp []float64) float64 {
	s := 0.0
	for _, v := range lp {
		s -= v
	}
	return s / float64(len(lp))
}
