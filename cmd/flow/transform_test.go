package main

import (
	"path/filepath"
	"testing"

	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/modelfile"
	"github.com/stretchr/testify/require"
)

// -transform spline:K,B fits spline layers, which the model file keeps (and its meta names) and
// score, sample and inspect read; a bad -transform is a usage error.
func TestFitSplineTransform(t *testing.T) {
	dir := t.TempDir()
	train := writeData(t, dir, "train.csv", 150, 3, 1)
	model := filepath.Join(dir, "spline.json")
	code, out, errs := flow("fit", "-train", train, "-out", model, "-epochs", "2", "-hidden", "8", "-select", "none",
		"-mask", "made", "-transform", "spline:4,2")
	require.Equal(t, 0, code, errs)
	require.Contains(t, errs, "transform: spline:4,2")
	f, meta, err := modelfile.Load(model)
	require.NoError(t, err)
	n := 0
	for _, l := range f.Layers {
		if a, ok := l.(*layers.AffineInjection); ok {
			require.Equal(t, layers.Spline(4, 2), a.Elementwise)
			n++
		}
	}
	require.Equal(t, 5, n)
	require.Equal(t, "spline:4,2", meta["transform"])
	code, _, errs = flow("score", "-model", model, "-data", train)
	require.Equal(t, 0, code, errs)
	code, _, errs = flow("sample", "-model", model, "-n", "4")
	require.Equal(t, 0, code, errs)
	code, out, errs = flow("inspect", "-model", model)
	require.Equal(t, 0, code, errs)
	require.Contains(t, out, "spline:4,2")
	for _, bad := range []string{"spline:1", "spline:x", "spline:4,-1", "cubic", "spline4"} {
		code, _, errs := flow("fit", "-train", train, "-out", filepath.Join(dir, "bad.json"), "-transform", bad)
		require.Equal(t, 2, code, bad)
		require.Contains(t, errs, `-transform "`+bad+`"`)
	}
}
