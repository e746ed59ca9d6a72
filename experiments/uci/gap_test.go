package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The gap is the paired mean difference to the best model, and the verdict follows its error bar.
func TestGapTable(t *testing.T) {
	dir := t.TempDir()
	save := func(set, model string, seed int64, lp ...float64) {
		require.NoError(t, saveScores(dir, set, model, seed, lp))
	}
	save("a", "defaults", 1, 1, 2, 3, 4)
	save("a", "maf10", 1, 1.5, 2.5, 3.5, 4.5) // +0.5 on every row
	save("a", "made", 1, 0, 0, 0, 0)
	save("b", "defaults", 1, 1, 1)
	save("b", "soft", 1, 2, 0.1)      // +0.05 on average, noisy
	save("c", "maf5", 1, 1)           // no defaults: no row
	save("a", "other", 1, 9, 9, 9, 9) // not among the models
	save("d", "defaults", 1, 2, 2)
	save("d", "made", 1, 1, 1) // worse than the defaults
	// e: with two seeds, maf10's lucky seed 1 does not make it the best; made lacks seed 2 and is
	// left out
	save("e", "defaults", 1, 1, 1)
	save("e", "defaults", 2, 1, 3)
	save("e", "maf10", 1, 4, 4)
	save("e", "maf10", 2, -1, -1)
	save("e", "soft", 1, 2, 2)
	save("e", "soft", 2, 2, 2)
	save("e", "made", 1, 9, 9)
	require.FileExists(t, filepath.Join(dir, "e--maf10--seed2.csv"))
	var out strings.Builder
	require.NoError(t, gapTable(dir, "defaults", []string{"made", "maf10", "soft"}, &out))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 7)
	require.Equal(t, "missing: e made seed 2", lines[6]) // what a sweep has not finished
	require.Equal(t, "| a | 4 | 1 | maf10 | 3.000 | 2.500 | 0.500 ± 0.000 | no |", lines[2])
	require.Equal(t, "| b | 2 | 1 | soft | 1.050 | 1.000 | 0.050 ± 1.900 | yes |", lines[3])
	require.Equal(t, "| d | 2 | 1 | made | 1.000 | 2.000 | -1.000 ± 0.000 | yes |", lines[4])
	require.Equal(t, "| e | 2 | 2 | soft | 2.000 | 1.500 | 0.500 ± 1.000 | not resolved |", lines[5])

	// a variant of the defaults, compared with the defaults themselves among the others
	save("a", "defaults+t10", 1, 2, 3, 4, 5)
	out.Reset()
	require.NoError(t, gapTable(dir, "defaults+t10", []string{"maf10", "defaults"}, &out))
	lines = strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Equal(t, []string{"| a | 4 | 1 | maf10 | 3.000 | 3.500 | -0.500 ± 0.000 | yes |"}, lines[2:])

	require.NoError(t, os.WriteFile(filepath.Join(dir, "e--soft--seedx.csv"), []byte("log_prob\n1\n"), 0o644))
	require.ErrorContains(t, gapTable(dir, "defaults", []string{"soft"}, &out), "e--soft--seedx.csv")
}

// The seed table lists every seed's mean, their mean and their range.
func TestSeedTable(t *testing.T) {
	dir := t.TempDir()
	for seed, lp := range map[int64][]float64{1: {1, 3}, 2: {0, 0}, 5: {4, 4}} {
		require.NoError(t, saveScores(dir, "a", "maf5", seed, lp))
	}
	require.NoError(t, saveScores(dir, "a", "defaults", 1, []float64{1, 1}))
	require.NoError(t, saveScores(dir, "a", "made", 1, []float64{1, 1})) // not listed
	var out strings.Builder
	require.NoError(t, seedTable(dir, []string{"maf5"}, &out))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Equal(t, []string{
		"| a | defaults | 1 | 1: 1.000 | 1.000 | 0.000 |",
		"| a | maf5 | 3 | 1: 2.000, 2: 0.000, 5: 4.000 | 2.000 | 4.000 |",
	}, lines[2:])
}
