package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/affineflow/flow/dataset"
	"github.com/affineflow/flow/recipe"
)

// parseBounds reads -bounds "name=lo:hi,name=lo:,name=:hi" into a map from column name to
// (lo, hi), an omitted side infinite ("auto" is resolved on the data: autoBounds).
func parseBounds(text string) (map[string][2]float64, error) {
	out := map[string][2]float64{}
	if text == "auto" {
		return out, nil
	}
	for _, item := range strings.Split(text, ",") {
		name, rng, ok := strings.Cut(strings.TrimSpace(item), "=")
		loText, hiText, ok2 := strings.Cut(rng, ":")
		lo, err1 := parseSide(loText, math.Inf(-1))
		hi, err2 := parseSide(hiText, math.Inf(1))
		switch {
		case !ok || !ok2 || name == "" || err1 != nil || err2 != nil || (math.IsInf(lo, -1) && math.IsInf(hi, 1)):
			return nil, usagef("-bounds %q: want name=lo:hi, name=lo: or name=:hi entries separated by commas, e.g. -bounds share=0:1,income=0:, or auto", text)
		case !(lo < hi) || math.IsInf(lo, 1) || math.IsInf(hi, -1):
			return nil, usagef("-bounds %q: column %q: want lo < hi, got %g:%g", text, name, lo, hi)
		}
		if _, dup := out[name]; dup {
			return nil, usagef("-bounds %q: column %q given twice", text, name)
		}
		out[name] = [2]float64{lo, hi}
	}
	return out, nil
}

// parseSide reads one side of a -bounds interval: a number, or nothing (inf, that side open).
func parseSide(text string, inf float64) (float64, error) {
	if text = strings.TrimSpace(text); text == "" {
		return inf, nil
	}
	v, err := strconv.ParseFloat(text, 64)
	if err == nil && math.IsInf(v, 0) {
		err = fmt.Errorf("infinite")
	}
	return v, err
}

// autoBounds resolves -bounds auto on the modelled training columns (recipe.DetectBounds) and
// names what it found on w.
func autoBounds(train *dataset.Table, w io.Writer) map[string][2]float64 {
	_, d := train.X.Dims()
	out := map[string][2]float64{}
	var found []string
	for j, b := range recipe.DetectBounds(train.X, d) {
		if !math.IsInf(b[0], -1) || !math.IsInf(b[1], 1) {
			out[train.Columns[j]] = b
			found = append(found, fmt.Sprintf("%s (%g, %g)", train.Columns[j], b[0], b[1]))
		}
	}
	if len(found) == 0 {
		found = []string{"none"}
	}
	fmt.Fprintf(w, "bounds (auto): %s\n", strings.Join(found, ", "))
	return out
}

// boundsFor returns the bounds of the columns cols (unbounded: ±Inf), refusing a name that is not
// one of them.
func boundsFor(b map[string][2]float64, cols []string, path string) ([][2]float64, error) {
	for name := range b {
		if !contains(cols, name) {
			return nil, usagef("-bounds: %q is not a modelled column of %s (columns: %s)", name, path, dataset.QuoteList(cols))
		}
	}
	return boundsOf(b, cols), nil
}

// boundsOf returns the bounds of the columns cols by name, (−Inf, +Inf) for a column b does not
// name.
func boundsOf(b map[string][2]float64, cols []string) [][2]float64 {
	out := make([][2]float64, len(cols))
	for j, c := range cols {
		out[j] = [2]float64{math.Inf(-1), math.Inf(1)}
		if v, ok := b[c]; ok {
			out[j] = v
		}
	}
	return out
}

// checkInside refuses a value of t outside the bounds of its column (by name; recipe.Outside),
// naming the file, row and column.
func checkInside(t *dataset.Table, b map[string][2]float64, path string) error {
	var e *recipe.OutsideError
	if err := recipe.Outside(t.X, boundsOf(b, t.Columns)); errors.As(err, &e) {
		return fmt.Errorf("%s: row %d, column %d (%q): %g is not inside its -bounds (%g, %g)", path, e.Row+1, e.Col+1, t.Columns[e.Col], e.Value, e.Lo, e.Hi)
	}
	return nil
}
