package main

import (
	"fmt"
	"io"
	"math"

	"gonum.org/v1/gonum/stat"
)

// estimate is a mean with two standard errors (sample standard deviation / √N), the error bar
// MAF's tables use.
type estimate struct{ Mean, Err2 float64 }

func (e estimate) String() string { return fmt.Sprintf("%.2f ± %.2f", e.Mean, e.Err2) }

func summarize(v []float64) estimate {
	m, s := stat.MeanStdDev(v, nil)
	if len(v) < 2 {
		s = 0
	}
	return estimate{m, 2 * s / math.Sqrt(float64(len(v)))}
}

// bitsPerPixel converts log p(x) of x ∈ [0,1]^D to bits per pixel of the 8-bit images (MAF's
// collect_results.py): −log₂ p(256·x)/D = −log p(x)/(D ln 2) + 8.
func bitsPerPixel(logpx []float64, d int) []float64 {
	out := make([]float64, len(logpx))
	for i, v := range logpx {
		out[i] = -v/(float64(d)*math.Ln2) + 8
	}
	return out
}

// summary holds the reported test figures.
type summary struct {
	LogPX, LogPZ, LogDet, BPP estimate
}

func (r *result) summary() summary {
	_, d := r.Data.Test.X.Dims()
	return summary{
		LogPX:  summarize(r.LogPX),
		LogPZ:  summarize(r.LogPZ),
		LogDet: summarize(r.LogDet),
		BPP:    summarize(bitsPerPixel(r.LogPX, d)),
	}
}

// report prints the test figures, one per line, "key value ± 2SE unit".
func (r *result) report(w io.Writer) {
	s := r.summary()
	n, _ := r.Data.Train.Z.Dims()
	nt, _ := r.Data.Test.Z.Dims()
	fmt.Fprintf(w, "%s, %d parameters; %d training images", r.Model, r.Params, n)
	if r.Fit != nil {
		fmt.Fprintf(w, ", best epoch %d of %d (%s)", r.Fit.BestEpoch, len(r.Fit.History), r.Fit.Stopped)
	}
	fmt.Fprintf(w, ", %.0f s fitting\n", r.Seconds)
	if r.Fit != nil {
		fmt.Fprintf(w, "validation: mean -log p(z) %.2f nats (best epoch)\n", r.Fit.BestValNLL)
	}
	fmt.Fprintf(w, "test (%d images), mean ± 2 standard errors:\n", nt)
	fmt.Fprintf(w, "  log p(x), x in [0,1]^D:      %s nats\n", s.LogPX)
	fmt.Fprintf(w, "  log p(z), logit space:        %s nats   (MAF Table 2 reports this one)\n", s.LogPZ)
	fmt.Fprintf(w, "  sum log|dz/dx|:               %s nats\n", s.LogDet)
	fmt.Fprintf(w, "  bits/pixel (8-bit images):    %s\n", s.BPP)
}
