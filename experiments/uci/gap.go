package main

import (
	"fmt"
	"io"
	"maps"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/affineflow/flow/dataset"
	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/modelfile"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// saveScores writes the test log-likelihood of every test row to dir/SET--MODEL.csv (seed 1) or
// dir/SET--MODEL--seedN.csv, so that models can be compared row by row (gapTable).
func saveScores(dir, set, name string, seed int64, lp []float64) error {
	return dataset.WriteCSV(filepath.Join(dir, runName(set, name, seed)+".csv"), []string{"log_prob"}, mat.NewDense(len(lp), 1, lp))
}

// runName names the files of one row and seed: SET--MODEL, or SET--MODEL--seedN for seeds other
// than 1 (readScores parses it back).
func runName(set, name string, seed int64) string {
	base := set + "--" + name
	if seed != 1 {
		base += fmt.Sprintf("--seed%d", seed)
	}
	return base
}

// parseRunName splits a name of runName into its data set, model and seed.
func parseRunName(base string) (set, name string, seed int64, err error) {
	set, rest, _ := strings.Cut(base, "--")
	name, seedText, multi := strings.Cut(rest, "--seed")
	seed = 1
	if multi {
		if seed, err = strconv.ParseInt(seedText, 10, 64); err != nil {
			return "", "", 0, fmt.Errorf("not SET--MODEL--seedN")
		}
	}
	return set, name, seed, nil
}

// readScores reads the files of saveScores for the listed models and the defaults (named def):
// set → model → seed → log-likelihood of every test row. A model NAME@A/B/C is the sub-selection
// of the candidates A, B, C of selection NAME (saveCandidates): per set and seed, the scores of
// the one with the lowest validation NLL.
func readScores(dir, def string, models []string) (map[string]map[string]map[int64][]float64, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*--*.csv"))
	if err != nil {
		return nil, err
	}
	scores := map[string]map[string]map[int64][]float64{}
	add := func(set, name string, seed int64, f string) error {
		t, err := dataset.Load(f)
		if err != nil {
			return err
		}
		if scores[set] == nil {
			scores[set] = map[string]map[int64][]float64{}
		}
		if scores[set][name] == nil {
			scores[set][name] = map[int64][]float64{}
		}
		scores[set][name][seed] = mat.Col(nil, 0, t.X)
		return nil
	}
	for _, f := range files {
		base := strings.TrimSuffix(filepath.Base(f), ".csv")
		if strings.HasSuffix(base, ".candidates") {
			continue
		}
		set, name, seed, err := parseRunName(base)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		if !slices.Contains(models, name) && name != def {
			continue
		}
		if err := add(set, name, seed, f); err != nil {
			return nil, err
		}
	}
	for _, m := range append(slices.Clone(models), def) {
		sel, names, ok := subSelection(m)
		if !ok {
			continue
		}
		all, err := readCandidates(dir, sel)
		if err != nil {
			return nil, err
		}
		for set, bySeed := range all {
			for seed, cands := range bySeed {
				if kept := pick(cands, names); kept != "" {
					f := filepath.Join(dir, runName(set, sel+"@"+kept, seed)+".csv")
					if err := add(set, m, seed, f); err != nil {
						return nil, err
					}
				}
			}
		}
	}
	return scores, nil
}

// seedMean averages the scores of the given seeds row by row; nil when a seed is missing or the
// row counts differ.
func seedMean(bySeed map[int64][]float64, seeds []int64, rows int) []float64 {
	out := make([]float64, rows)
	for _, s := range seeds {
		lp, ok := bySeed[s]
		if !ok || len(lp) != rows {
			return nil
		}
		floats.Add(out, lp)
	}
	floats.Scale(1/float64(len(seeds)), out)
	return out
}

// gapTable reads the scores that saveScores wrote and prints, per data set, how far `flow fit`'s
// defaults are from the best of the other models (scores of models not listed are ignored): the
// mean over the test rows of log p_best − log p_defaults, with ± 2 standard errors of that paired
// difference (the rows are shared, so the paired error is the one that says whether the gap is
// real). A gap ≤ 0.1 is "yes"; a larger one whose error bar reaches 0.1 is "not resolved".
//
// With scores of several seeds, every model's log-likelihood of a row is its average over the
// seeds the defaults have (a model without all of them is left out): the best model is then the
// best on average over training runs, not the luckiest run. def names the model that plays the
// defaults ("defaults", or a variant such as "defaults+t10").
func gapTable(dir, def string, models []string, w io.Writer) error {
	scores, err := readScores(dir, def, models)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "| data set | test rows | seeds | best model | best (nats) | defaults (nats) | gap (nats, ± 2 SE paired) | within 0.1 |")
	fmt.Fprintln(w, "|---|---:|---:|---|---:|---:|---:|---|")
	for _, set := range slices.Sorted(maps.Keys(scores)) {
		defSeeds, ok := scores[set][def]
		if !ok {
			continue
		}
		seeds := slices.Sorted(maps.Keys(defSeeds))
		rows := len(defSeeds[seeds[0]])
		defLP := seedMean(defSeeds, seeds, rows)
		if defLP == nil {
			return fmt.Errorf("%s: the defaults' score files have different row counts", set)
		}
		best, bestMean := "", math.Inf(-1)
		var bestLP []float64
		for name, bySeed := range scores[set] {
			lp := seedMean(bySeed, seeds, rows)
			if name == def || lp == nil {
				continue
			}
			if m := stat.Mean(lp, nil); m > bestMean || m == bestMean && name < best {
				best, bestMean, bestLP = name, m, lp
			}
		}
		if best == "" {
			continue
		}
		diff := make([]float64, rows)
		floats.SubTo(diff, bestLP, defLP)
		gap, se2 := meanSE2(diff)
		verdict := "yes"
		if gap > 0.1 {
			verdict = "no"
			if gap-se2 <= 0.1 {
				verdict = "not resolved"
			}
		}
		fmt.Fprintf(w, "| %s | %d | %d | %s | %.3f | %.3f | %.3f ± %.3f | %s |\n", set, rows, len(seeds), best, bestMean,
			stat.Mean(defLP, nil), gap, se2, verdict)
	}
	for _, line := range missing(scores, append(slices.Clone(models), def)) {
		fmt.Fprintln(w, line)
	}
	return nil
}

// missing lists, per data set in scores, the seeds that a listed model has not got while another
// model of that set has them (a model with no scores for the set at all is taken as not asked
// for): what a sweep has not finished, or lost. One line each, "missing: SET MODEL seed N".
func missing(scores map[string]map[string]map[int64][]float64, models []string) []string {
	var out []string
	for _, set := range slices.Sorted(maps.Keys(scores)) {
		seeds := map[int64]bool{}
		for _, bySeed := range scores[set] {
			for s := range bySeed {
				seeds[s] = true
			}
		}
		for _, m := range models {
			if len(scores[set][m]) == 0 {
				continue
			}
			for _, s := range slices.Sorted(maps.Keys(seeds)) {
				if _, ok := scores[set][m][s]; !ok {
					out = append(out, fmt.Sprintf("missing: %s %s seed %d", set, m, s))
				}
			}
		}
	}
	return out
}

// seedTable prints, per data set and model (of models and the defaults), the mean test
// log-likelihood of every seed that saveScores wrote, their mean and their range: how much one
// training run differs from another.
func seedTable(dir string, models []string, w io.Writer) error {
	scores, err := readScores(dir, "defaults", models)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "| data set | model | seeds | test log-likelihood per seed (nats) | mean | range |")
	fmt.Fprintln(w, "|---|---|---:|---|---:|---:|")
	for _, set := range slices.Sorted(maps.Keys(scores)) {
		for _, name := range slices.Sorted(maps.Keys(scores[set])) {
			bySeed := scores[set][name]
			var means []string
			var vals []float64
			for _, seed := range slices.Sorted(maps.Keys(bySeed)) {
				m := stat.Mean(bySeed[seed], nil)
				means = append(means, fmt.Sprintf("%d: %.3f", seed, m))
				vals = append(vals, m)
			}
			fmt.Fprintf(w, "| %s | %s | %d | %s | %.3f | %.3f |\n", set, name, len(vals), strings.Join(means, ", "),
				stat.Mean(vals, nil), floats.Max(vals)-floats.Min(vals))
		}
	}
	for _, line := range missing(scores, models) {
		fmt.Fprintln(w, line)
	}
	return nil
}

// meanSE2 returns the mean of x and 2 standard errors of it, 2·sd/√n (0 for fewer than two values).
func meanSE2(x []float64) (mean, se2 float64) {
	mean, sd := stat.MeanStdDev(x, nil)
	if len(x) < 2 {
		return mean, 0
	}
	return mean, 2 * sd / math.Sqrt(float64(len(x)))
}

// saveModel writes the fitted model to dir/SET--MODEL.json (dir/SET--MODEL--seedN.json for
// seeds other than 1) with the meta `flow fit` writes (recipe.Result.Meta, the columns, the test
// NLL), its command the one that reproduces the row.
func (c config) saveModel(set, name string, s splits, r fitted) error {
	meta := modelfile.Meta(r.res.Meta(nil))
	meta["columns"] = s.columns
	meta["command"] = strings.TrimPrefix(c.command(set, name), "`")
	meta["test_nll"] = distributions.MeanNLL(r.lp)
	return modelfile.Save(filepath.Join(c.models, runName(set, name, c.seed)+".json"), r.res.Flow, meta)
}
