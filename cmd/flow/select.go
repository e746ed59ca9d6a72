package main

import (
	"fmt"
	"strings"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/trainer"
)

// checkSelect validates -select against the model flags.
func (f fitFlags) checkSelect() error {
	switch f.selection {
	case "auto", "none":
	case "always":
		for _, name := range []string{"layers", "mask"} {
			if f.explicit[name] {
				return usagef("-select always chooses the number of layers and the mask itself: drop -%s, or use -select none", name)
			}
		}
	default:
		return usagef("-select %q: want auto, always or none", f.selection)
	}
	return nil
}

// candidates returns the models to fit for rows training rows of width d: the one spec describes,
// or, when -select allows it and no model flag is given, distributions.DefaultCandidates (MAF-5,
// MAF-10 and block-triangular layers below distributions.SelectRows rows, or at any size with
// -select always).
func (f fitFlags) candidates(spec distributions.Spec, d, rows int) []distributions.Candidate {
	if f.selection == "none" || f.explicit["layers"] || f.explicit["mask"] {
		return []distributions.Candidate{{Name: "model", Spec: spec}}
	}
	if f.selection == "always" {
		rows = 0
	}
	return distributions.DefaultCandidates(d, rows, spec)
}

// candidateMeta describes every candidate of a selection for the model file.
func candidateMeta(cands []distributions.Candidate, outs []trainer.Outcome) []map[string]any {
	var out []map[string]any
	for i, o := range outs {
		m := map[string]any{"name": o.Name, "layers": cands[i].Spec.Layers, "mask": cands[i].Spec.Mask}
		if o.Result != nil {
			m["val_nll"], m["best_epoch"], m["epochs"] = o.Result.BestValNLL, o.Result.BestEpoch, len(o.Result.History)
		}
		if o.Err != nil {
			m["error"] = o.Err.Error()
		}
		out = append(out, m)
	}
	return out
}

// summarize lists the candidates' best validation NLLs: "maf5 2.5938, maf10 2.4177, ...".
func summarize(outs []trainer.Outcome) string {
	var parts []string
	for _, o := range outs {
		switch {
		case o.Err != nil:
			parts = append(parts, o.Name+" failed ("+o.Err.Error()+")")
		default:
			parts = append(parts, fmt.Sprintf("%s val_nll=%.6f", o.Name, o.Result.BestValNLL))
		}
	}
	return strings.Join(parts, ", ")
}

// describeCandidates lists the candidates recorded in a model file's meta (candidateMeta, read back
// from JSON): "maf5 val_nll=2.5938, ...".
func describeCandidates(v any) string {
	list, _ := v.([]any)
	var parts []string
	for _, c := range list {
		m, _ := c.(map[string]any)
		name, _ := m["name"].(string)
		if nll, ok := m["val_nll"].(float64); ok && m["error"] == nil {
			parts = append(parts, fmt.Sprintf("%s val_nll=%.6f", name, nll))
		} else {
			parts = append(parts, name+" failed")
		}
	}
	return strings.Join(parts, ", ")
}
