package trainer

import (
	"context"
	"errors"
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// Candidate is one model of a selection: a name (for the report and the checkpoint file) and the
// model, built with its initial weights.
type Candidate struct {
	Name  string
	Model Model
}

// Outcome is how one candidate of Select did.
type Outcome struct {
	Name   string
	Result *Result // the fit (partial when Err is a training failure)
	Err    error   // why training failed; the candidate was then not eligible
}

// Select is SelectContext without a way to interrupt it.
func Select(cands []Candidate, train, val *mat.Dense, s Settings) (int, []Outcome, error) {
	return SelectContext(context.Background(), cands, train, val, s)
}

// SelectContext fits every candidate to train with the same settings, one after the other, and
// returns the index of the one with the lowest best validation NLL: model selection on the
// validation split, the held-out data early stopping already uses. Every candidate ends with its
// best weights, as after Fit. Ties go to the earlier candidate.
//
// A candidate whose training fails (a non-finite loss or validation NLL) is reported in its
// Outcome and not chosen while another succeeds; with several candidates and s.Checkpoint set,
// candidate c checkpoints to s.Checkpoint + "." + c.Name, so that resuming a selection resumes
// every candidate. A single candidate is simply fitted (FitContext, with s.Checkpoint as it is).
//
// The returned index is the best model there is, also when the error is not nil, or -1 when
// there is none: when ctx is cancelled (the error wraps ErrInterrupted) the remaining candidates
// are skipped and the best of those fitted so far wins, the interrupted one with its best epoch so
// far; when every candidate fails, the best of those that finished at least one epoch wins, and
// the error joins every candidate's. An error that is not a training failure (bad settings, an
// unreadable checkpoint) returns -1 at once.
func SelectContext(ctx context.Context, cands []Candidate, train, val *mat.Dense, s Settings) (int, []Outcome, error) {
	if len(cands) == 0 {
		return -1, nil, errors.New("trainer: Select needs at least one candidate")
	}
	if len(cands) > 1 && val == nil {
		return -1, nil, errors.New("trainer: Select needs validation data to choose between candidates")
	}
	var out []Outcome
	var stop error // the interruption
	for i, c := range cands {
		cs := s
		if s.Checkpoint != "" && len(cands) > 1 {
			cs.Checkpoint = s.Checkpoint + "." + c.Name
		}
		if s.Progress != nil && len(cands) > 1 {
			fmt.Fprintf(s.Progress, "candidate %d of %d: %s\n", i+1, len(cands), c.Name)
		}
		res, err := FitContext(ctx, c.Model, train, val, cs)
		if err != nil && res == nil {
			if len(cands) == 1 {
				return -1, []Outcome{{Name: c.Name, Err: err}}, err
			}
			return -1, nil, fmt.Errorf("candidate %s: %w", c.Name, err)
		}
		out = append(out, Outcome{Name: c.Name, Result: res, Err: err})
		if errors.Is(err, ErrInterrupted) {
			stop = err
			break
		}
	}
	// eligible: finished, or interrupted with a best epoch; failing that, failed with a best epoch
	best := bestOf(out, func(o Outcome) bool {
		return o.Err == nil || (errors.Is(o.Err, ErrInterrupted) && o.Result.BestEpoch > 0)
	})
	failed := best < 0
	if failed {
		best = bestOf(out, func(o Outcome) bool { return o.Result.BestEpoch > 0 })
	}
	switch {
	case stop != nil && len(cands) > 1:
		return best, out, fmt.Errorf("candidate %s: %w", out[len(out)-1].Name, stop)
	case stop != nil:
		return best, out, stop
	case !failed:
		return best, out, nil
	case len(cands) == 1:
		return best, out, out[0].Err
	}
	errs := make([]error, len(out))
	for i, o := range out {
		errs[i] = fmt.Errorf("candidate %s: %w", o.Name, o.Err)
	}
	return best, out, errors.Join(errs...)
}

// bestOf returns the index of the eligible outcome with the lowest best validation NLL (the
// earliest on ties), or -1.
func bestOf(out []Outcome, eligible func(Outcome) bool) int {
	best := -1
	for i, o := range out {
		if eligible(o) && (best < 0 || o.Result.BestValNLL < out[best].Result.BestValNLL) {
			best = i
		}
	}
	return best
}
