package main

import (
	"errors"
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

// describeCandidates lists the candidates of a selection as candidateMeta records them, in the
// model file's meta or read back from its JSON: "maf5 val_nll=2.593840, maf10 failed (…), ...".
func describeCandidates(v any) string {
	var list []map[string]any
	switch v := v.(type) {
	case []map[string]any:
		list = v
	case []any:
		for _, c := range v {
			m, _ := c.(map[string]any)
			list = append(list, m)
		}
	}
	var parts []string
	for _, m := range list {
		name, _ := m["name"].(string)
		nll, ok := m["val_nll"].(float64)
		switch msg, failed := m["error"].(string); {
		case failed:
			parts = append(parts, name+" failed ("+msg+")")
		case ok && m["interrupted"] == true:
			parts = append(parts, fmt.Sprintf("%s val_nll=%.6f (interrupted)", name, nll))
		case ok:
			parts = append(parts, fmt.Sprintf("%s val_nll=%.6f", name, nll))
		default:
			parts = append(parts, name+" failed")
		}
	}
	return strings.Join(parts, ", ")
}
