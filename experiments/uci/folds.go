package main

import (
	"fmt"
	"maps"
	"math/rand"
	"slices"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// foldSeed fixes the partition into folds, whatever -seed says, so that every model and seed is
// scored on the same rows and the gap table can pair them.
const foldSeed = 1

// fold is one split of K-fold cross-validation and the pooled rows it tests.
type fold struct {
	splits
	rows []int // pooled row of every test row, in order
}

// kFolds pools the rows of s (train, then val, then test), permutes them with foldSeed and cuts
// them into k folds of nearly equal size. Fold i tests on part i, stops early on part i+1 (mod k)
// and trains on the other k−2 parts: with k = 10 the 80/10/10 proportions of the data sets' own
// splits. Every pooled row is a test row of exactly one fold.
func kFolds(s splits, k int) ([]fold, error) {
	var pool, all mat.Dense
	pool.Stack(s.train, s.val)
	all.Stack(&pool, s.test)
	n, d := all.Dims()
	if k < 3 || n < 2*k {
		return nil, fmt.Errorf("-folds %d: want at least 3 folds of at least 2 rows (the data set has %d rows)", k, n)
	}
	perm := rand.New(rand.NewSource(foldSeed)).Perm(n)
	part := func(i int) []int { return perm[i*n/k : (i+1)*n/k] }
	rows := func(idx []int) *mat.Dense {
		m := mat.NewDense(len(idx), d, nil)
		for r, i := range idx {
			m.SetRow(r, all.RawRowView(i))
		}
		return m
	}
	folds := make([]fold, k)
	for i := range folds {
		var train []int
		for j := range k {
			if j != i && j != (i+1)%k {
				train = append(train, part(j)...)
			}
		}
		folds[i] = fold{splits{train: rows(train), val: rows(part((i + 1) % k)), test: rows(part(i)), columns: s.columns}, part(i)}
	}
	return folds, nil
}

// crossValidate fits model name on every fold of c.folds-fold cross-validation and returns its
// table row: the mean log-likelihood over every pooled row, each scored by the fold that held it
// out, with ± 2 standard errors over those rows (treated as independent, as is usual for
// cross-validation), the summed training time and the mean best and last epochs. The data set is
// labelled SET.cvK, in the row and in the score file, so its scores pair only with
// cross-validated ones.
func (c config) crossValidate(set string, s splits, name string) (string, error) {
	folds, err := kFolds(s, c.folds)
	if err != nil {
		return "", err
	}
	label := fmt.Sprintf("%s.cv%d", set, c.folds)
	n := 0
	for _, f := range folds {
		n += len(f.rows)
	}
	lp := make([]float64, n) // log-likelihood of every pooled row, filled fold by fold
	var secs, bestEpochs, epochs float64
	params, kept := map[int]bool{}, map[string]int{}
	for i, f := range folds {
		r, err := c.fit(fmt.Sprintf("%s fold %d", label, i+1), f.splits, name)
		if err != nil {
			return "", fmt.Errorf("fold %d: %w", i+1, err)
		}
		for j, row := range f.rows {
			lp[row] = r.lp[j]
		}
		secs += r.secs
		bestEpochs += float64(r.res.Fit.BestEpoch)
		epochs += float64(len(r.res.Fit.History))
		params[r.res.Flow.NumParams()] = true
		if r.kept != "" {
			kept[r.kept]++
		}
	}
	if c.scores != "" {
		if err := saveScores(c.scores, label, name, c.seed, lp); err != nil {
			return "", err
		}
	}
	model := name
	if len(kept) > 0 {
		var ks []string
		for _, k := range slices.Sorted(maps.Keys(kept)) {
			ks = append(ks, fmt.Sprintf("%s %d", k, kept[k]))
		}
		model += " → " + strings.Join(ks, ", ")
	}
	ps := slices.Sorted(maps.Keys(params))
	paramText := fmt.Sprint(ps[0])
	if len(ps) > 1 {
		paramText += fmt.Sprintf("–%d", ps[len(ps)-1])
	}
	mean, se2 := meanSE2(lp)
	k := float64(c.folds)
	return fmt.Sprintf("| %s | %s | %.3f ± %.3f | %s | %.0f s | %.0f/%.0f | %s` |", label, model, mean, se2,
		paramText, secs, bestEpochs/k, epochs/k, c.command(set, name)), nil
}
