package main

import (
	"fmt"
	"io"
	"time"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/trainer"
	"gonum.org/v1/gonum/mat"
)

// timing is what measureEpoch measured and extrapolated.
type timing struct {
	StepSeconds    float64 // one optimizer step on a minibatch (after one warm-up step)
	EvalRowSeconds float64 // forward-only log p per validation row
	StepsPerEpoch  int
	ValRows        int
	EpochSeconds   float64 // StepsPerEpoch steps + one validation pass
	SetupSeconds   float64 // building the training graph
}

// measureEpoch times c.TimeSteps optimizer steps at the configured model and batch size, and one
// forward-only pass over c.TimeEvalN validation rows with the trainer's Evaluator (what Fit uses
// each epoch), then extrapolates the time of one epoch over the whole training and validation
// splits. It trains f on the first minibatches of the data: f is for timing only.
func measureEpoch(f *distributions.Flow, data *splits, c config, w io.Writer) (*timing, error) {
	n, d := data.Train.Z.Dims()
	nv, _ := data.Val.Z.Dims()
	if c.Batch > n {
		return nil, fmt.Errorf("-batch %d is larger than the %d training images", c.Batch, n)
	}
	t := &timing{StepsPerEpoch: n / c.Batch, ValRows: nv}
	start := time.Now()
	st, err := trainer.NewStepper(f, c.Batch, d, trainer.Settings{LearningRate: c.LR})
	if err != nil {
		return nil, err
	}
	defer st.Close()
	t.SetupSeconds = time.Since(start).Seconds()
	batch := func(k int) *mat.Dense {
		lo := (k * c.Batch) % (n - c.Batch + 1)
		return data.Train.Z.Slice(lo, lo+c.Batch, 0, d).(*mat.Dense)
	}
	if _, err := st.Step(batch(0)); err != nil { // warm-up: first use allocates
		return nil, err
	}
	start = time.Now()
	for k := 1; k <= c.TimeSteps; k++ {
		loss, err := st.Step(batch(k))
		if err != nil {
			return nil, err
		}
		logf(w, "timing: step %d/%d loss %.1f, %.2f s/step so far", k, c.TimeSteps, loss,
			time.Since(start).Seconds()/float64(k))
	}
	t.StepSeconds = time.Since(start).Seconds() / float64(c.TimeSteps)

	rows := min(c.TimeEvalN, nv)
	ev := trainer.NewEvaluator(f, 1024)
	defer ev.Close()
	start = time.Now()
	if _, err := ev.NLL(data.Val.Z.Slice(0, rows, 0, d).(*mat.Dense)); err != nil {
		return nil, err
	}
	t.EvalRowSeconds = time.Since(start).Seconds() / float64(rows)
	t.EpochSeconds = float64(t.StepsPerEpoch)*t.StepSeconds + float64(nv)*t.EvalRowSeconds
	return t, nil
}

func (t *timing) report(w io.Writer, c config, params int) {
	fmt.Fprintf(w, "timing: MAF(%d), hidden %v, batch %d, %d parameters\n", c.Layers, c.Hidden, c.Batch, params)
	fmt.Fprintf(w, "  training graph built in %.1f s\n", t.SetupSeconds)
	fmt.Fprintf(w, "  %.3f s per optimizer step (mean of %d steps)\n", t.StepSeconds, c.TimeSteps)
	fmt.Fprintf(w, "  %.2f ms per validation row (forward only, %d rows)\n", 1e3*t.EvalRowSeconds, min(c.TimeEvalN, t.ValRows))
	fmt.Fprintf(w, "  one epoch = %d steps + %d validation rows = %.0f s (%.2f h)\n",
		t.StepsPerEpoch, t.ValRows, t.EpochSeconds, t.EpochSeconds/3600)
	for _, e := range []int{10, 100, 300} {
		fmt.Fprintf(w, "  %d epochs: %.1f h\n", e, float64(e)*t.EpochSeconds/3600)
	}
}
