package main

import (
	"fmt"
	"io"
	"math/rand"
	"time"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/trainer"
	"gonum.org/v1/gonum/mat"
)

// config holds the flags.
type config struct {
	Dir                  string
	Epochs, Layers       int
	Hidden               []int
	Between              string
	Standardize          bool
	MaxTrain, MaxVal     int
	ValSize              int
	Batch, Patience      int
	LR                   float64
	Seed                 int64
	Checkpoint           string // trainer.Settings.Checkpoint: the full run in segments with Resume
	Resume               bool
	Gaussian             bool
	TimeSteps, TimeEvalN int
}

// validate checks the settings that do not need the data.
func (c config) validate() error {
	switch {
	case c.Epochs < 1:
		return fmt.Errorf("-epochs %d: want >= 1", c.Epochs)
	case c.Layers < 1:
		return fmt.Errorf("-layers %d: want >= 1", c.Layers)
	case c.Batch < 1:
		return fmt.Errorf("-batch %d: want >= 1", c.Batch)
	case !(c.LR > 0):
		return fmt.Errorf("-lr %g: want > 0", c.LR)
	case c.MaxTrain < 0 || c.MaxVal < 0:
		return fmt.Errorf("-max-train %d, -max-val %d: want >= 0 (0: all)", c.MaxTrain, c.MaxVal)
	case c.TimeSteps < 0:
		return fmt.Errorf("-time-steps %d: want >= 0", c.TimeSteps)
	case c.Resume && c.Checkpoint == "":
		return fmt.Errorf("-resume needs -checkpoint")
	}
	_, err := c.build(1)
	return err
}

// build returns a fresh MAF for data of width d: c.Layers MADE layers (orders reversed between
// layers, ReLU, one entry of c.Hidden per hidden layer) with c.Between in between, and a
// standard normal base. The weights are seeded with c.Seed.
func (c config) build(d int) (*distributions.Flow, error) {
	rng := rand.New(rand.NewSource(c.Seed))
	return distributions.Build(d, distributions.Spec{Layers: c.Layers, Mask: "made", Hidden: c.Hidden,
		Activation: layers.ReLU, Between: c.Between}, rng)
}

// model returns the flow to fit to the training logits z: c.build, preceded, with c.Standardize,
// by a frozen standardization with the training mean and standard deviation of each column of z
// (an elementwise affine map whose log-det is counted, so log p(z) stays in z's units).
func (c config) model(z *mat.Dense) (*distributions.Flow, error) {
	_, d := z.Dims()
	f, err := c.build(d)
	if err != nil || !c.Standardize {
		return f, err
	}
	f.Layers = append([]layers.Layer{layers.StandardizeFrom(z)}, f.Layers...)
	return f, nil
}

// result is what a run measured. The test figures are over the complete test split.
type result struct {
	Model   string              // what was fitted, for the report
	Flow    *distributions.Flow // nil for the Gaussian baseline
	Data    *splits
	Fit     *trainer.Result // nil for the Gaussian baseline
	Params  int
	LogPZ   []float64 // log p(z) per test image (logit space), nats
	LogDet  []float64 // Σ_j log|dz_j/dx_j| per test image, nats
	LogPX   []float64 // log p(x) = LogPZ + LogDet, x ∈ [0,1]^D, nats
	Seconds float64   // fitting time
}

// run loads and preprocesses the data, fits the flow to the training logits with early stopping on
// the validation logits (or, with c.Gaussian, a full-covariance Gaussian), and scores the test
// split. Progress goes to progress (nil: quiet).
func run(c config, progress io.Writer) (*result, error) {
	data, err := loadSplits(c.Dir, c.ValSize, c.MaxTrain, c.MaxVal, c.Seed)
	if err != nil {
		return nil, err
	}
	n, d := data.Train.Z.Dims()
	nv, _ := data.Val.Z.Dims()
	nt, _ := data.Test.Z.Dims()
	logf(progress, "data: %d training, %d validation, %d test images of %d pixels", n, nv, nt, d)
	r := &result{Data: data}
	start := time.Now()
	if c.Gaussian {
		r.Model = "full-covariance Gaussian"
		r.Params = d + d*(d+1)/2
		if r.LogPZ, err = gaussianLogProbs(data.Train.Z, data.Test.Z); err != nil {
			return nil, err
		}
		r.Seconds = time.Since(start).Seconds()
		r.finish()
		return r, nil
	}
	if r.Flow, err = c.model(data.Train.Z); err != nil {
		return nil, err
	}
	r.Model = fmt.Sprintf("MAF(%d), hidden %v", c.Layers, c.Hidden)
	r.Params = r.Flow.NumParams()
	logf(progress, "model: %d MADE layers, hidden %v, between %q, standardize %v: %d parameters",
		c.Layers, c.Hidden, c.Between, c.Standardize, r.Params)
	r.Fit, err = trainer.Fit(r.Flow, data.Train.Z, data.Val.Z, trainer.Settings{
		Epochs: c.Epochs, BatchSize: c.Batch, LearningRate: c.LR, Patience: c.Patience,
		Seed: c.Seed, Progress: progress, Checkpoint: c.Checkpoint, Resume: c.Resume,
	})
	r.Seconds = time.Since(start).Seconds()
	if err != nil {
		return nil, err
	}
	r.LogPZ = r.Flow.LogProbs(data.Test.Z)
	r.finish()
	return r, nil
}

// finish adds the log-det of the logit map to LogPZ: LogDet and LogPX.
func (r *result) finish() {
	r.LogDet = logDet(r.Data.Test.X)
	r.LogPX = make([]float64, len(r.LogPZ))
	for i := range r.LogPX {
		r.LogPX[i] = r.LogPZ[i] + r.LogDet[i]
	}
}

func logf(w io.Writer, format string, args ...any) {
	if w != nil {
		fmt.Fprintf(w, "mnist: "+format+"\n", args...)
	}
}
