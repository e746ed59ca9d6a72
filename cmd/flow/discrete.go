package main

import (
	"fmt"
	"slices"

	"github.com/affineflow/flow/dataset"
	"github.com/affineflow/flow/recipe"
)

// discreteColumns resolves -discrete: "auto" (every modelled column of integers in the training
// rows) or a comma-separated list of modelled column names, which must hold integers.
func discreteColumns(text string, train *dataset.Table, path string) ([]int, error) {
	if text == "auto" {
		_, d := train.X.Dims()
		return recipe.IntegerColumns(train.X, d), nil
	}
	var cols []int
	for _, name := range splitNames(text) {
		j := slices.Index(train.Columns, name)
		if j < 0 {
			return nil, usagef("-discrete: %q is not a modelled column of %s (columns: %s)", name, path, dataset.QuoteList(train.Columns))
		}
		cols = append(cols, j)
	}
	if err := recipe.Integers(train.X, cols); err != nil {
		return nil, fmt.Errorf("%s: -discrete: %w", path, err)
	}
	return cols, nil
}
