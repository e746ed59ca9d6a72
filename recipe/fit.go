package recipe

import (
	"context"
	"fmt"
	"math/rand"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/trainer"
	"gonum.org/v1/gonum/mat"
)

// Result is a fitted recipe: the flow, how training went and what was chosen.
type Result struct {
	Flow     *distributions.Flow   // the kept model, with its best weights
	Flows    []*distributions.Flow // every candidate, with its best weights (Flows[Kept] is Flow)
	Model    trainer.Model         // what was trained: Flow, or its distributions.Conditional
	Plan     Plan
	Kept     int               // index of Flow in Plan.Candidates
	Outcomes []trainer.Outcome // one per candidate
	Fit      *trainer.Result   // the kept model's fit (the fine-tuning's, after hardening)
	Hardened int               // mask entries kept by hardening; -1: not hardened
	Finetune int               // fine-tuning epochs after hardening
}

// Fit is FitContext without a way to interrupt it.
func Fit(train, val *mat.Dense, o Options) (*Result, error) {
	return FitContext(context.Background(), train, val, o)
}

// FitContext fits the recipe's model(s) to the rows of train, using val (which may be nil for a
// single model) to stop early and to select; the last o.Context columns of both are the context.
// Like trainer.SelectContext it returns the best model there is also with an error (an
// interruption through ctx, a training failure after a finished epoch); the Result is nil when
// there is none.
func FitContext(ctx context.Context, train, val *mat.Dense, o Options) (*Result, error) {
	rows, cols := train.Dims()
	d := cols - o.Context
	if d < 1 {
		return nil, fmt.Errorf("recipe: %d columns with %d of context: nothing to model", cols, o.Context)
	}
	p, err := o.Plan(d, rows)
	if err != nil {
		return nil, err
	}
	for _, j := range o.Discrete {
		if j < 0 || j >= d {
			return nil, fmt.Errorf("recipe: discrete column %d, the data have %d modelled columns", j+1, d)
		}
	}
	if len(o.Discrete) > 0 {
		rngD := rand.New(rand.NewSource(o.Train.Seed ^ dequantizeSeed))
		if train, err = Dequantize(train, o.Discrete, rngD); err != nil {
			return nil, fmt.Errorf("%w in the training rows", err)
		}
		if val != nil {
			if val, err = Dequantize(val, o.Discrete, rngD); err != nil {
				return nil, fmt.Errorf("%w in the validation rows", err)
			}
		}
	}
	pre, err := o.firstLayers(train, val, d) // checks the bounds before any work
	if err != nil {
		return nil, err
	}
	rng := o.Rand
	if rng == nil {
		rng = rand.New(rand.NewSource(o.Train.Seed))
	}
	flows := make([]*distributions.Flow, len(p.Candidates))
	models := make([]trainer.Candidate, len(p.Candidates))
	params := make([]int, len(p.Candidates))
	for i, c := range p.Candidates {
		f, err := distributions.Build(d, c.Spec, rng)
		if err != nil {
			return nil, &SpecError{Candidate: c.Name, Err: err}
		}
		f.Layers = append(own(pre), f.Layers...)
		flows[i], models[i], params[i] = f, trainer.Candidate{Name: c.Name, Model: f}, f.NumParams()
		if o.Context > 0 {
			if models[i].Model, err = distributions.Conditional(f); err != nil {
				return nil, err
			}
		}
	}
	s := o.Train
	s.Epochs, s.Patience = p.Epochs, p.Patience
	if s.Progress != nil {
		p.Write(s.Progress, params)
	}
	best, outs, err := trainer.SelectContext(ctx, models, train, val, s)
	if best < 0 {
		return nil, err
	}
	r := &Result{Flow: flows[best], Flows: flows, Model: models[best].Model, Plan: p, Kept: best, Outcomes: outs,
		Fit: outs[best].Result, Hardened: -1}
	if err == nil {
		err = r.harden(ctx, o, train, val, s)
	}
	return r, err
}

// SpecError is a model that cannot be built from its Spec (e.g. block sizes that do not sum to
// the width of the data).
type SpecError struct {
	Candidate string
	Err       error
}

func (e *SpecError) Error() string { return e.Err.Error() }
func (e *SpecError) Unwrap() error { return e.Err }

// columns returns the first d columns of x (x itself when it has no others).
func columns(x *mat.Dense, d int) *mat.Dense {
	n, c := x.Dims()
	if c == d {
		return x
	}
	return mat.DenseCopyOf(x.Slice(0, n, 0, d))
}

// harden hardens the soft masks when o asks for it and fine-tunes the model.
func (r *Result) harden(ctx context.Context, o Options, train, val *mat.Dense, s trainer.Settings) error {
	if o.Harden == 0 && o.HardenTopK == 0 {
		return nil
	}
	if len(r.Flow.SoftLayers()) == 0 {
		return fmt.Errorf("recipe: hardening: the model has no soft masks (mask soft or made-soft)")
	}
	if o.HardenTopK > 0 {
		r.Hardened = r.Flow.HardenMasksTopK(o.HardenTopK)
	} else {
		r.Hardened = r.Flow.HardenMasks(o.Harden)
	}
	r.Finetune = o.finetuneEpochs()
	if s.Progress != nil {
		fmt.Fprintf(s.Progress, "hardened the soft masks: %d entries kept\n", r.Hardened)
	}
	if r.Finetune == 0 {
		return nil
	}
	s.Epochs, s.Checkpoint, s.Resume = r.Finetune, "", false
	ft, err := trainer.FitContext(ctx, r.Model, train, val, s)
	if ft != nil {
		r.Fit = ft
	}
	if err != nil {
		return fmt.Errorf("fine-tuning after hardening: %w", err)
	}
	return nil
}
