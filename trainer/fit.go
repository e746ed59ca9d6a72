package trainer

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand"
	"time"

	"github.com/affineflow/flow/graph"
	"github.com/affineflow/flow/internal/nll"
	"gonum.org/v1/gonum/mat"
)

// EpochStats describes one finished epoch.
type EpochStats struct {
	Epoch    int     // 1-based
	TrainNLL float64 // mean training loss over the epoch's steps
	ValNLL   float64 // mean validation NLL (NaN without validation data)
	LR       float64 // learning rate at the end of the epoch
	GradNorm float64 // mean gradient norm before clipping
	Seconds  float64
	Best     bool // the validation NLL improved
	// ESS is FitVariational's effective sample size of the importance weights p̃/q on the
	// validation draws, as a fraction of them: (Σw)²/(n Σw²) in (0, 1]; 0 for Fit.
	ESS float64
}

func (e EpochStats) String() string {
	s := fmt.Sprintf("epoch %d train_nll=%.4f", e.Epoch, e.TrainNLL)
	if e.ESS > 0 {
		s = fmt.Sprintf("epoch %d train_elbo=%.4f elbo=%.4f ess=%.3f", e.Epoch, -e.TrainNLL, -e.ValNLL, e.ESS)
	} else if !math.IsNaN(e.ValNLL) {
		s += fmt.Sprintf(" val_nll=%.4f", e.ValNLL)
	}
	s += fmt.Sprintf(" lr=%.3g grad_norm=%.3g time=%.1fs", e.LR, e.GradNorm, e.Seconds)
	if e.Best {
		s += " *"
	}
	return s
}

// Result is the outcome of Fit.
type Result struct {
	History    []EpochStats
	BestEpoch  int     // epoch whose weights the model holds (0: the initial weights)
	BestValNLL float64 // its validation NLL (NaN without validation data)
	Steps      int     // optimizer steps taken
	Stopped    string  // why training ended: "max epochs", "early stopping", "failed", "interrupted"
}

// DataInitializer is a model with a data-dependent initialization (e.g. ActNorm layers); Fit
// calls it with the training data before the first step of a fresh run (not when it resumes from
// a checkpoint).
type DataInitializer interface {
	InitFromData(x *mat.Dense)
}

// ErrInterrupted is wrapped by the error of a fit stopped through its context (FitContext,
// SelectContext), together with the context's cause.
var ErrInterrupted = errors.New("trainer: interrupted")

// Fit is FitContext without a way to interrupt it.
func Fit(m Model, train, val *mat.Dense, s Settings) (*Result, error) {
	return FitContext(context.Background(), m, train, val, s)
}

// FitContext maximizes the likelihood of train under m. val (may be nil) drives early stopping; at
// the end m holds the weights of the best validation epoch (the last epoch without val).
//
// A non-finite loss or gradient stops training with an error naming the epoch and step; m then
// holds the best weights so far, and the partial Result is returned with the error. So does a
// cancelled ctx, checked before every step: the error wraps ErrInterrupted and the context's cause
// (context.Cause), Result.Stopped is "interrupted", and with s.Checkpoint set the checkpoint is
// first written at that very step, so that resuming from it continues exactly as the
// uninterrupted run would have.
func FitContext(ctx context.Context, m Model, train, val *mat.Dense, s Settings) (*Result, error) {
	s, err := s.withDefaults()
	if err != nil {
		return nil, err
	}
	n, d := train.Dims()
	if n == 0 {
		return nil, errors.New("trainer: no training rows")
	}
	batch := min(s.BatchSize, n)
	steps := n / batch
	rank, local := 0, batch // this rank's share of every batch: rows [rank·local, (rank+1)·local)
	if c := s.parallel(); c != nil {
		if batch%c.Size() != 0 {
			return nil, fmt.Errorf("trainer: batch of %d rows over %d ranks: want a multiple of the ranks", batch, c.Size())
		}
		rank, local = c.Rank(), batch/c.Size()
		if rank != 0 {
			s.Progress = nil // rank 0 prints, and writes the checkpoint every rank resumes from
		}
	}
	sp, err := NewStepper(m, local, d, s)
	if err != nil {
		return nil, err
	}
	defer sp.Close()
	st := sp.sh
	var eval *Evaluator
	if val != nil {
		eval = NewEvaluator(m, s.EvalBatch)
		defer eval.Close()
	}
	t := newTraining(sp.st.params, sp.opt)
	if s.Checkpoint != "" {
		t.id = newRunID(train, val, s)
	}
	resumed := false
	if s.Resume && s.Checkpoint != "" {
		if resumed, err = t.load(s.Checkpoint, steps); err != nil {
			return nil, err
		}
	}
	if di, ok := m.(DataInitializer); ok && !resumed {
		di.InitFromData(train)
		t.snapshotBest()
	}
	prog := newProgress(s.Progress, s.Epochs, steps)
	defer prog.finish()
	res := &t.res
	res.Stopped = "max epochs"
	for epoch := t.epoch + 1; epoch <= s.Epochs; epoch++ {
		if t.step == 0 && s.Patience > 0 && t.bad >= s.Patience {
			res.Stopped = "early stopping"
			break
		}
		start := time.Now()
		if s.draw != nil {
			s.draw(epoch, train)
		}
		perm := rand.New(rand.NewSource(s.Seed*1_000_003 + int64(epoch))).Perm(n)
		lr := s.rate(epoch-1, 0)
		for k := t.step; k < steps; k++ {
			if ctx.Err() != nil {
				return t.interrupt(ctx, writeTo(s.Checkpoint, rank), epoch, k)
			}
			for r := 0; r < local; r++ {
				st.setRow(r, train.RawRowView(perm[k*batch+rank*local+r]))
			}
			lr = s.rate(epoch-1, float64(k)/float64(steps))
			loss, err := sp.step(lr)
			if err != nil {
				t.restoreBest()
				res.Stopped = "failed"
				return res, fmt.Errorf("trainer: epoch %d step %d: %w; the model holds the weights of epoch %d", epoch, k+1, err, res.BestEpoch)
			}
			t.sumLoss += loss
			t.sumNorm += sp.lastNorm
			t.step = k + 1
			res.Steps++
			prog.step(epoch, loss)
		}
		es := EpochStats{Epoch: epoch, TrainNLL: t.sumLoss / float64(steps), GradNorm: t.sumNorm / float64(steps), LR: lr, ValNLL: math.NaN()}
		t.step, t.sumLoss, t.sumNorm = 0, 0, 0
		if eval != nil {
			lp, err := eval.LogProbs(val)
			v := nll.Mean(lp)
			if s.ess {
				es.ESS = ESS(lp)
			}
			if err == nil && !finite(v) {
				err = fmt.Errorf("non-finite validation NLL %g", v)
			}
			if err != nil {
				t.restoreBest()
				res.Stopped = "failed"
				return res, fmt.Errorf("trainer: epoch %d validation: %w; the model holds the weights of epoch %d", epoch, err, res.BestEpoch)
			}
			es.ValNLL = v
		}
		if eval == nil || es.ValNLL < res.BestValNLL {
			es.Best = true
			res.BestEpoch, res.BestValNLL = epoch, es.ValNLL
			t.snapshotBest()
			t.bad = 0
		} else {
			t.bad++
		}
		es.Seconds = time.Since(start).Seconds()
		res.History = append(res.History, es)
		t.epoch = epoch
		prog.epoch(es)
		if ck := writeTo(s.Checkpoint, rank); ck != "" {
			if err := t.save(ck); err != nil {
				return res, err
			}
		}
	}
	t.restoreBest()
	return res, nil
}

// interrupt ends a fit whose context is done before step k (0-based) of epoch: it writes the
// checkpoint of this very step (path "" : none), restores the best weights and returns the
// partial result with an error wrapping ErrInterrupted and the context's cause.
func (t *training) interrupt(ctx context.Context, path string, epoch, k int) (*Result, error) {
	t.res.Stopped = "interrupted"
	if path != "" {
		if err := t.save(path); err != nil {
			t.restoreBest()
			return &t.res, fmt.Errorf("%w at epoch %d step %d (%w); %w", ErrInterrupted, epoch, k+1, context.Cause(ctx), err)
		}
	}
	t.restoreBest()
	return &t.res, fmt.Errorf("%w at epoch %d step %d (%w); the model holds the weights of epoch %d", ErrInterrupted, epoch, k+1, context.Cause(ctx), t.res.BestEpoch)
}

// writeTo is the checkpoint file rank writes: path for rank 0, none for the others.
func writeTo(path string, rank int) string {
	if rank != 0 {
		return ""
	}
	return path
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// training is the mutable state of a run: what a checkpoint holds.
type training struct {
	params []*graph.Param
	best   [][]float64
	opt    *adam
	epoch  int // epochs finished
	bad    int // epochs since the best
	res    Result
	id     runID // what the run belongs to (its data and settings), checked on resume

	// the unfinished epoch epoch+1: steps taken and the sums of their losses and gradient norms
	step             int
	sumLoss, sumNorm float64
}

func newTraining(params []*graph.Param, opt *adam) *training {
	t := &training{params: params, opt: opt, res: Result{BestValNLL: math.Inf(1)}}
	t.snapshotBest()
	return t
}

func (t *training) snapshotBest() {
	t.best = t.best[:0]
	for _, p := range t.params {
		t.best = append(t.best, append([]float64(nil), p.Data()...))
	}
}

func (t *training) restoreBest() {
	for k, p := range t.params {
		copy(p.Data(), t.best[k])
	}
	touch(t.params)
}
