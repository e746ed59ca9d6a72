package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The gap is the paired mean difference to the best model, and the verdict follows its error bar.
func TestGapTable(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, saveScores(dir, "a", "defaults", []float64{1, 2, 3, 4}))
	require.NoError(t, saveScores(dir, "a", "maf10", []float64{1.5, 2.5, 3.5, 4.5})) // +0.5 on every row
	require.NoError(t, saveScores(dir, "a", "made", []float64{0, 0, 0, 0}))
	require.NoError(t, saveScores(dir, "b", "defaults", []float64{1, 1}))
	require.NoError(t, saveScores(dir, "b", "soft", []float64{2, 0.1}))      // +0.05 on average, noisy
	require.NoError(t, saveScores(dir, "c", "maf5", []float64{1}))           // no defaults: no row
	require.NoError(t, saveScores(dir, "a", "other", []float64{9, 9, 9, 9})) // not among the models
	require.NoError(t, saveScores(dir, "d", "defaults", []float64{2, 2}))
	require.NoError(t, saveScores(dir, "d", "made", []float64{1, 1})) // worse than the defaults
	var out strings.Builder
	require.NoError(t, gapTable(dir, []string{"made", "maf10", "soft"}, &out))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 5)
	require.Equal(t, "| a | 4 | maf10 | 3.000 | 2.500 | 0.500 ± 0.000 | no |", lines[2])
	require.Equal(t, "| b | 2 | soft | 1.050 | 1.000 | 0.050 ± 1.900 | yes |", lines[3])
	require.Equal(t, "| d | 2 | made | 1.000 | 2.000 | -1.000 ± 0.000 | yes |", lines[4])
}
