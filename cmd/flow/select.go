package main

import (
	"fmt"
	"strings"
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
