package main

import (
	"fmt"
	"io"
	"maps"
	"math"
	"path/filepath"
	"slices"
	"strings"

	"github.com/affineflow/flow/dataset"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// saveScores writes the test log-likelihood of every test row to dir/SET--MODEL.csv, so that
// models can be compared row by row (gapTable).
func saveScores(dir, set, name string, lp []float64) error {
	path := filepath.Join(dir, set+"--"+name+".csv")
	return dataset.WriteCSV(path, []string{"log_prob"}, mat.NewDense(len(lp), 1, lp))
}

// gapTable reads the scores that saveScores wrote and prints, per data set, how far `flow fit`'s
// defaults are from the best of the other models (scores of models not listed are ignored): the
// mean over the test rows of log p_best − log p_defaults, with ± 2 standard errors of that paired
// difference (the rows are shared, so the paired error is the one that says whether the gap is
// real). A gap ≤ 0.1 is "yes"; a larger one whose error bar reaches 0.1 is "not resolved".
func gapTable(dir string, models []string, w io.Writer) error {
	files, err := filepath.Glob(filepath.Join(dir, "*--*.csv"))
	if err != nil {
		return err
	}
	scores := map[string]map[string][]float64{}
	for _, f := range files {
		set, name, _ := strings.Cut(strings.TrimSuffix(filepath.Base(f), ".csv"), "--")
		if !slices.Contains(models, name) && name != "defaults" {
			continue
		}
		t, err := dataset.Load(f)
		if err != nil {
			return err
		}
		if scores[set] == nil {
			scores[set] = map[string][]float64{}
		}
		scores[set][name] = mat.Col(nil, 0, t.X)
	}
	fmt.Fprintln(w, "| data set | test rows | best model | best (nats) | defaults (nats) | gap (nats, ± 2 SE paired) | within 0.1 |")
	fmt.Fprintln(w, "|---|---:|---|---:|---:|---:|---|")
	for _, set := range slices.Sorted(maps.Keys(scores)) {
		def, ok := scores[set]["defaults"]
		if !ok {
			continue
		}
		best, bestMean := "", math.Inf(-1)
		for name, lp := range scores[set] {
			m := stat.Mean(lp, nil)
			if name != "defaults" && len(lp) == len(def) && (m > bestMean || m == bestMean && name < best) {
				best, bestMean = name, m
			}
		}
		if best == "" {
			continue
		}
		diff := make([]float64, len(def))
		floats.SubTo(diff, scores[set][best], def)
		gap, se2 := meanSE2(diff)
		verdict := "yes"
		if gap > 0.1 {
			verdict = "no"
			if gap-se2 <= 0.1 {
				verdict = "not resolved"
			}
		}
		fmt.Fprintf(w, "| %s | %d | %s | %.3f | %.3f | %.3f ± %.3f | %s |\n", set, len(def), best, bestMean,
			stat.Mean(def, nil), gap, se2, verdict)
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
