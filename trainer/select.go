package trainer

import (
	"errors"
	"fmt"
	"math"

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

// Select fits every candidate to train with the same settings, one after the other, and returns
// the index of the one with the lowest best validation NLL: model selection on the validation
// split, the held-out data early stopping already uses. Every candidate ends with its best
// weights, as after Fit. Ties go to the earlier candidate.
//
// A candidate whose training fails (a non-finite loss or validation NLL) is reported in its
// Outcome and not chosen; Select fails when every candidate does, or at once on an error that is
// not a training failure (bad settings, an unreadable checkpoint). With several candidates and
// s.Checkpoint set, candidate c checkpoints to s.Checkpoint + "." + c.Name, so that resuming a
// selection resumes every candidate. A single candidate is simply fitted (Fit, with s.Checkpoint
// as it is, and Fit's error as it is).
func Select(cands []Candidate, train, val *mat.Dense, s Settings) (int, []Outcome, error) {
	if len(cands) == 0 {
		return -1, nil, errors.New("trainer: Select needs at least one candidate")
	}
	if len(cands) == 1 {
		res, err := Fit(cands[0].Model, train, val, s)
		if err != nil {
			return -1, []Outcome{{Name: cands[0].Name, Result: res, Err: err}}, err
		}
		return 0, []Outcome{{Name: cands[0].Name, Result: res}}, nil
	}
	if val == nil {
		return -1, nil, errors.New("trainer: Select needs validation data to choose between candidates")
	}
	best, bestNLL := -1, math.Inf(1)
	out := make([]Outcome, len(cands))
	for i, c := range cands {
		cs := s
		if s.Checkpoint != "" {
			cs.Checkpoint = s.Checkpoint + "." + c.Name
		}
		if s.Progress != nil {
			fmt.Fprintf(s.Progress, "candidate %d of %d: %s\n", i+1, len(cands), c.Name)
		}
		res, err := Fit(c.Model, train, val, cs)
		if err != nil && res == nil {
			return -1, nil, fmt.Errorf("candidate %s: %w", c.Name, err)
		}
		out[i] = Outcome{Name: c.Name, Result: res, Err: err}
		if err == nil && (best < 0 || res.BestValNLL < bestNLL) {
			best, bestNLL = i, res.BestValNLL
		}
	}
	if best < 0 {
		errs := make([]error, len(out))
		for i, o := range out {
			errs[i] = fmt.Errorf("candidate %s: %w", o.Name, o.Err)
		}
		return -1, out, errors.Join(errs...)
	}
	return best, out, nil
}
