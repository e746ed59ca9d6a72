package recipe

import (
	"errors"

	"github.com/affineflow/flow/trainer"
)

// Meta is what a fit records in its model file's meta (modelfile.Meta): the kept model's best
// epoch and validation NLL, its parameters, the resolved budget, why training stopped, the
// training precision (and shards, when more than one), the hardening, and with several candidates the one selected and how each
// did. err, when not nil, is recorded as "error". Callers add their own keys (columns, command,
// test_nll).
func (r *Result) Meta(err error) map[string]any {
	dtype := "float64"
	if r.Plan.float32 {
		dtype = "float32"
	}
	meta := map[string]any{
		"best_epoch": r.Fit.BestEpoch,
		"val_nll":    r.Fit.BestValNLL,
		"parameters": r.Flow.NumParams(),
		"max_epochs": r.Plan.Epochs,
		"patience":   r.Plan.Patience,
		"stopped":    r.Fit.Stopped,
		"dtype":      dtype,
	}
	if r.Plan.shards > 1 {
		meta["shards"] = r.Plan.shards
	}
	if t := r.Plan.Candidates[r.Kept].Spec.Transform; t.IsSpline() {
		meta["transform"] = t.String()
	}
	if r.Hardened >= 0 {
		meta["hardened_entries"] = r.Hardened
		meta["finetune_epochs"] = r.Finetune
	}
	if len(r.Plan.Candidates) > 1 {
		meta["selected"] = r.Plan.Candidates[r.Kept].Name
		meta["candidates"] = r.candidates()
	}
	if err != nil {
		meta["error"] = err.Error()
	}
	return meta
}

// candidates describes every candidate of a selection.
func (r *Result) candidates() []map[string]any {
	var out []map[string]any
	for i, o := range r.Outcomes {
		spec := r.Plan.Candidates[i].Spec
		m := map[string]any{"name": o.Name, "layers": spec.Layers, "mask": spec.Mask}
		if o.Result != nil {
			m["val_nll"], m["best_epoch"], m["epochs"] = o.Result.BestValNLL, o.Result.BestEpoch, len(o.Result.History)
		}
		switch {
		case errors.Is(o.Err, trainer.ErrInterrupted):
			m["interrupted"] = true
		case o.Err != nil:
			m["error"] = o.Err.Error()
		}
		out = append(out, m)
	}
	return out
}
