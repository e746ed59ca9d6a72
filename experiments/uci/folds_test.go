package main

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/affineflow/flow/dataset"
	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/recipe"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// rowsSplits makes splits of n rows (train, then 1/10 val, then 1/10 test) whose first column is
// the pooled row number, so that a fold's rows can be traced back.
func rowsSplits(n int) splits {
	part := func(from, to int) *mat.Dense {
		m := mat.NewDense(to-from, 2, nil)
		for i := from; i < to; i++ {
			m.Set(i-from, 0, float64(i))
			m.Set(i-from, 1, math.Sin(float64(i)))
		}
		return m
	}
	v, t := n-2*(n/10), n-n/10
	return splits{train: part(0, v), val: part(v, t), test: part(t, n)}
}

func firstCol(m *mat.Dense) []int {
	var out []int
	for _, v := range mat.Col(nil, 0, m) {
		out = append(out, int(v))
	}
	return out
}

// Every pooled row is tested by exactly one fold; a fold's train, validation and test rows are
// disjoint and cover the pool; the partition does not depend on anything but the data.
func TestKFolds(t *testing.T) {
	const n, k = 53, 10
	folds, err := kFolds(rowsSplits(n), k)
	require.NoError(t, err)
	require.Len(t, folds, k)
	tested := make([]int, n)
	for _, f := range folds {
		te := firstCol(f.test)
		require.Equal(t, f.test.RawMatrix().Rows, len(f.rows), "test rows and their pooled indices")
		require.Equal(t, te, f.rows, "the test matrix holds the pooled rows it names")
		all := slices.Concat(firstCol(f.train), firstCol(f.val), te)
		slices.Sort(all)
		require.Equal(t, n, len(all))
		require.Equal(t, all, slices.Compact(slices.Clone(all)), "train, val and test overlap")
		require.InDelta(t, n/k, len(te), 1)
		require.InDelta(t, n/k, f.val.RawMatrix().Rows, 1)
		for _, i := range te {
			tested[i]++
		}
	}
	for i, c := range tested {
		require.Equal(t, 1, c, "pooled row %d tested %d times", i, c)
	}
	again, err := kFolds(rowsSplits(n), k)
	require.NoError(t, err)
	require.Equal(t, folds[3].rows, again[3].rows)
	require.Equal(t, math.Sin(float64(folds[0].rows[0])), folds[0].test.At(0, 1))

	_, err = kFolds(rowsSplits(n), 2)
	require.ErrorContains(t, err, "-folds 2")
	_, err = kFolds(rowsSplits(11), 10)
	require.ErrorContains(t, err, "11 rows")
}

// A cross-validated row scores every pooled row once, under the SET.cvK label, in its score file
// and in the table row.
func TestCrossValidate(t *testing.T) {
	dir := t.TempDir()
	c := config{epochs: 2, patience: 30, seed: 1, scores: dir, folds: 4}
	row, err := c.crossValidate("toy", rowsSplits(40), "made")
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(row, "| toy.cv4 | made | "), row)
	require.Contains(t, row, "-folds 4`")
	tab, err := dataset.Load(filepath.Join(dir, "toy.cv4--made.csv"))
	require.NoError(t, err)
	lp := mat.Col(nil, 0, tab.X)
	require.Len(t, lp, 40)
	for i, v := range lp {
		require.False(t, v == 0 || math.IsNaN(v) || math.IsInf(v, 0), "row %d: %v", i, v)
	}
	_, err = os.Stat(filepath.Join(dir, "toy--made.csv"))
	require.True(t, os.IsNotExist(err), "a cross-validated score file under the split's name")
}

// NAME+tNU is model NAME with a Student-t base and NAME+normal with N(0, I); without a suffix the
// defaults have flow fit's automatic base and the other models N(0, I); a bad name, suffix or NU
// is an error.
func TestLookup(t *testing.T) {
	small, large := distributions.SelectRows-1, distributions.SelectRows
	for name, want := range map[string][2]float64{"maf5+t10": {10, 10}, "maf5": {0, 0}, "maf5+normal": {0, 0},
		"defaults": {distributions.DefaultNu, 0}, "defaults+normal": {0, 0}, "defaults+t2.5": {2.5, 2.5},
		"defaults-soft": {distributions.DefaultNu, 0}} {
		m, base, err := lookup(name)
		require.NoError(t, err, name)
		var got [2]float64
		for i, n := range []int{small, large} {
			p, err := recipe.Options{Base: base}.Plan(2, n)
			require.NoError(t, err, name)
			got[i] = p.Base.Nu
		}
		require.Equal(t, want, got, name)
		require.Equal(t, strings.HasPrefix(name, "defaults"), m.flowFit, name)
	}
	m, _, err := lookup("defaults-soft")
	require.NoError(t, err)
	require.True(t, m.flowFit && m.withSoft)
	m, base, err := lookup("defaults+mog5")
	require.NoError(t, err)
	require.True(t, m.flowFit)
	require.Equal(t, "mog:5", base)
	_, base, err = lookup("maf5+mademog10")
	require.NoError(t, err)
	require.Equal(t, "made-mog:10", base)
	for _, bad := range []string{"maf5+mog0", "maf5+mog", "maf5+mogx", "maf5+mademog", "maf5+mademog0", "maf5+made", "maf7", "maf5+t0", "maf5+t-1", "maf5+tx", "maf5+t", "maf5+", "maf5+gauss", "maf5+normal+t3", "maf7+t10"} {
		_, _, err := lookup(bad)
		require.ErrorContains(t, err, bad)
	}
}
