package trainer

import (
	"fmt"
	"io"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Settings configures Fit. The zero value gives the defaults documented on each field.
type Settings struct {
	// Epochs is the maximum number of passes over the training data; default 100.
	Epochs int
	// BatchSize is the minibatch size; default 256. The last partial batch of an epoch is
	// dropped (a different one each epoch) unless the data are smaller than one batch.
	BatchSize int
	// LearningRate is Adam's step size; default 1e-3.
	LearningRate float64
	// Schedule is "constant" (default), "cosine" (to 0 over Epochs) or "step" (multiply by
	// StepGamma every StepEvery epochs).
	Schedule string
	// StepEvery and StepGamma configure the "step" schedule; defaults 10 and 0.5.
	StepEvery int
	StepGamma float64
	// WeightDecay is decoupled weight decay (AdamW, Loshchilov & Hutter 2019): w ← w - lr·λ·w
	// after each Adam step; default 0. The weights a mask keeps at zero (outside its support:
	// graph.Graph.Restrict) are neither updated nor decayed; they have no effect on the model.
	WeightDecay float64
	// ClipNorm rescales the gradient to this global L2 norm when it is larger; default 10;
	// negative: no clipping.
	ClipNorm float64
	// Patience is the number of epochs without a better validation NLL before stopping; the best
	// weights are restored at the end. Default 20; negative: never stop early.
	Patience int
	// Seed seeds the minibatch shuffling.
	Seed int64
	// Progress receives a progress bar (when it is a terminal) or one line per epoch; nil: quiet.
	Progress io.Writer
	// Checkpoint, when set, is a file written atomically after every epoch, and at the step where
	// an interrupted fit stops, with everything needed to resume: weights, Adam state, best
	// weights, epoch, step and patience counter, and what the run belongs to (a SHA-256 of the
	// training and validation data and the settings that shape the steps).
	Checkpoint string
	// Resume continues from Checkpoint when that file exists (and starts afresh when it does not).
	// A checkpoint of another run (other data, seed, batch size, learning rate, schedule, weight
	// decay, clipping or sparsity) is refused; Epochs and Patience may differ, to extend a run.
	Resume bool
	// EvalBatch is the batch size of the validation graphs; default 1024.
	EvalBatch int
	// Sparsity is λ of the sparsity penalty λ·Σ M added to the mean NLL (nats per row) of a
	// model with learnable soft masks (MaskSummer); default DefaultSparsity; negative: none.
	Sparsity float64
	// Float32 runs the training graph in single precision (mixed precision): its values and
	// gradients are float32, while the parameters (the master weights), Adam's state, the
	// validation pass, the model file and every numeric path stay float64; the parameters are
	// rounded to float32 for each step (by Adam itself, as it writes them).
	Float32 bool
	// Shards splits every batch into this many shares of rows, each run through its own copy of
	// the training graph on its own goroutine; the gradient is their row-weighted mean, formed in
	// shard order (so it does not depend on GOMAXPROCS, but differs from one graph's in the last
	// bits). Default 1.
	Shards int
	// Comm makes the fit data-parallel (Comm): with Size() = N ranks each computes the gradient of
	// BatchSize/N rows of every global batch (rank r the r-th share), the ranks sum them, and all
	// take the same step; every rank computes the same validation NLL. BatchSize must divide by
	// N; float64 graphs only; only rank 0 writes Checkpoint and Progress. nil: one process.
	Comm Comm

	// Draws and ValDraws are FitVariational's base draws (FitDraws' rows) per epoch (fresh every
	// epoch; default 64 batches) and for the held-out estimate that early stopping (and the ESS)
	// use (drawn once; default 4096).
	Draws, ValDraws int

	// draw, when set (FitVariational, FitDraws), refills the training rows before every epoch
	// (1-based), deterministically in the epoch, so that a resumed run sees the same rows.
	draw func(epoch int, train *mat.Dense)
	// ess: the validation log-densities are importance weights (FitVariational); report their ESS.
	ess bool
}

// DefaultSparsity is the default λ of the soft-mask sparsity penalty: an allowed dependency
// whose mask entry is fully open costs 0.01 nats per row (see experiments/softmask).
const DefaultSparsity = 0.01

func (s Settings) withDefaults() (Settings, error) {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&s.Epochs, 100)
	def(&s.BatchSize, 256)
	def(&s.Patience, 20)
	def(&s.StepEvery, 10)
	def(&s.EvalBatch, 1024)
	def(&s.Draws, 64*s.BatchSize)
	def(&s.ValDraws, 4096)
	if s.LearningRate == 0 {
		s.LearningRate = 1e-3
	}
	if s.StepGamma == 0 {
		s.StepGamma = 0.5
	}
	if s.ClipNorm == 0 {
		s.ClipNorm = 10
	}
	if s.Schedule == "" {
		s.Schedule = "constant"
	}
	if s.Sparsity == 0 {
		s.Sparsity = DefaultSparsity
	}
	switch {
	case s.Epochs < 0:
		return s, fmt.Errorf("trainer: epochs %d, want > 0", s.Epochs)
	case s.BatchSize < 0:
		return s, fmt.Errorf("trainer: batch size %d, want > 0", s.BatchSize)
	case s.Draws < 0 || s.ValDraws < 0:
		return s, fmt.Errorf("trainer: %d draws per epoch and %d held out, want > 0", s.Draws, s.ValDraws)
	case s.Shards < 0:
		return s, fmt.Errorf("trainer: shards %d, want > 0", s.Shards)
	case s.EvalBatch < 0:
		return s, fmt.Errorf("trainer: eval batch size %d, want > 0", s.EvalBatch)
	case !(s.LearningRate > 0) || math.IsInf(s.LearningRate, 0):
		return s, fmt.Errorf("trainer: learning rate %g, want > 0", s.LearningRate)
	case math.IsNaN(s.Sparsity) || math.IsInf(s.Sparsity, 0):
		return s, fmt.Errorf("trainer: sparsity %g, want a finite number", s.Sparsity)
	case s.WeightDecay < 0:
		return s, fmt.Errorf("trainer: weight decay %g, want >= 0", s.WeightDecay)
	case s.StepEvery < 0 || !(s.StepGamma > 0):
		return s, fmt.Errorf("trainer: step schedule every %d epochs by %g, want > 0", s.StepEvery, s.StepGamma)
	}
	switch s.Schedule {
	case "constant", "cosine", "step":
	default:
		return s, fmt.Errorf("trainer: unknown schedule %q (known: constant, cosine, step)", s.Schedule)
	}
	return s, nil
}

// rate returns the learning rate for epoch e (0-based) at fraction frac of that epoch.
func (s Settings) rate(e int, frac float64) float64 {
	switch s.Schedule {
	case "cosine":
		return s.LearningRate * 0.5 * (1 + math.Cos(math.Pi*(float64(e)+frac)/float64(s.Epochs)))
	case "step":
		return s.LearningRate * math.Pow(s.StepGamma, float64(e/s.StepEvery))
	}
	return s.LearningRate
}

// AutoSteps is the default training budget of `flow fit` in optimizer steps: a budget in steps
// suits small data sets (many epochs) and large ones alike (the measurements: experiments/uci,
// "Why the budget is 40,000 steps").
const AutoSteps = 40000

// PatienceSteps bounds the automatic early-stopping patience (AutoPatience) in optimizer steps:
// an eighth of the AutoSteps budget.
const PatienceSteps = 5000

// AutoPatience returns the early-stopping patience of `flow fit` in epochs for n training rows in
// batches of batch: 30 epochs, the MAF paper's protocol, but only as many epochs as it takes to
// reach PatienceSteps steps, so that on large data the wait after the best epoch stays a fraction
// of the budget (30 below 44,288 rows at batch 256; 13 on bsds300's 100,000).
func AutoPatience(n, batch int) int { return epochsFor(PatienceSteps, n, batch, 30) }

// AutoEpochs returns the number of epochs that gives AutoSteps steps on n rows in batches of
// batch, within [1, 2000] (early stopping ends most runs sooner).
func AutoEpochs(n, batch int) int { return epochsFor(AutoSteps, n, batch, 2000) }

// epochsFor returns the number of epochs it takes to make steps optimizer steps on n rows in
// batches of batch (n/batch steps an epoch, at least one), within [1, most].
func epochsFor(steps, n, batch, most int) int {
	perEpoch := max(1, n/max(1, batch))
	return min(most, max(1, (steps+perEpoch-1)/perEpoch))
}
