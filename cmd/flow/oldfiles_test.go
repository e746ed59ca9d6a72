package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Model files written before the spline transform existed (testdata/before-splines, made by the
// commit before it; its README.txt has the commands) still load, and `flow score` writes the very
// bytes that version wrote for the same rows.
func TestFilesBeforeSplines(t *testing.T) {
	dir := filepath.Join("testdata", "before-splines")
	models, err := filepath.Glob(filepath.Join(dir, "*.json"))
	require.NoError(t, err)
	require.Len(t, models, 7)
	for _, model := range models {
		name := strings.TrimSuffix(filepath.Base(model), ".json")
		t.Run(name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "scores.csv")
			code, _, errs := flow("score", "-model", model, "-data", filepath.Join(dir, "rows.csv"), "-out", out)
			require.Equal(t, 0, code, errs)
			got, err := os.ReadFile(out)
			require.NoError(t, err)
			want, err := os.ReadFile(filepath.Join(dir, name+".scores.csv"))
			require.NoError(t, err)
			require.Equal(t, string(want), string(got))
			code, inspect, errs := flow("inspect", "-model", model)
			require.Equal(t, 0, code, errs)
			require.NotContains(t, inspect, "spline:") // every layer affine
		})
	}
}
