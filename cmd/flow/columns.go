package main

import (
	"fmt"
	"slices"

	"github.com/affineflow/flow/dataset"
	"github.com/affineflow/flow/modelfile"
)

// positional reports whether names are x0…x{D-1} (dataset.PositionalColumns), the names of an
// .npy file's columns (and of a model trained on one): such columns match by position only.
func positional(names []string) bool {
	return slices.Equal(names, dataset.PositionalColumns(len(names)))
}

// matchColumns returns t (read from path) with the columns want, which belong to what (e.g.
// "the training data train.csv"): by name, in want's order, when both have names, so that the
// same columns in another order are reordered; a different set of names is refused with both
// lists. By position (the widths equal) with byPosition (-ignore-header) or when either side has
// positional names (.npy).
func matchColumns(t *dataset.Table, path string, want []string, what string, byPosition bool) (*dataset.Table, error) {
	if byPosition || positional(t.Columns) || positional(want) {
		if len(t.Columns) != len(want) {
			return nil, fmt.Errorf("%s: %d columns, but %s has %d", path, len(t.Columns), what, len(want))
		}
		return t, nil
	}
	if slices.Equal(t.Columns, want) {
		return t, nil
	}
	if len(t.Columns) == len(want) {
		if s, err := t.Select(want); err == nil {
			return s, nil // the same columns in another order
		}
	}
	return nil, fmt.Errorf("%s: the columns %s differ from the columns %s of %s (give -ignore-header to match them by position)",
		path, listNames(t.Columns), listNames(want), what)
}

// listNames quotes names for a message, as dataset does (at most 10, each cut to 40 bytes).
func listNames(names []string) string { return "[" + dataset.QuoteList(names) + "]" }

// columnNames returns the training columns stored in the model's meta, or x0..x{d-1}
// (dataset.PositionalColumns).
func columnNames(meta modelfile.Meta, d int) []string {
	if cols, ok := meta.Strings("columns"); ok && len(cols) == d {
		return cols
	}
	return dataset.PositionalColumns(d)
}
