package main

import (
	"path/filepath"
	"testing"

	"github.com/affineflow/flow/modelfile"
	"github.com/stretchr/testify/require"
)

// -dtype float32 trains in single precision and writes the same float64 model file, with the
// dtype in meta; another value is a usage error.
func TestFitDtype(t *testing.T) {
	dir := t.TempDir()
	train := writeData(t, dir, "train.csv", 200, 3, 1)
	for _, dt := range []string{"float32", "float64"} {
		model := filepath.Join(dir, dt+".json")
		code, out, errs := flow("fit", "-train", train, "-out", model, "-epochs", "3", "-hidden", "8", "-select", "none", "-dtype", dt)
		require.Equal(t, 0, code, errs)
		require.Contains(t, out, "val")
		_, meta, err := modelfile.Load(model)
		require.NoError(t, err)
		require.Equal(t, dt, meta["dtype"])
	}
	code, _, errs := flow("fit", "-train", train, "-out", filepath.Join(dir, "bad.json"), "-dtype", "float16")
	require.Equal(t, 2, code)
	require.Contains(t, errs, `-dtype "float16"`)
	require.NoFileExists(t, filepath.Join(dir, "bad.json"))
}

// -shards 2 runs every batch as two shares and records it in meta; 0 or more than -batch is a
// usage error.
func TestFitShards(t *testing.T) {
	dir := t.TempDir()
	train := writeData(t, dir, "train.csv", 200, 3, 1)
	model := filepath.Join(dir, "m.json")
	code, _, errs := flow("fit", "-train", train, "-out", model, "-epochs", "3", "-hidden", "8", "-select", "none", "-shards", "2")
	require.Equal(t, 0, code, errs)
	_, meta, err := modelfile.Load(model)
	require.NoError(t, err)
	require.EqualValues(t, 2, meta["shards"])
	for _, bad := range []string{"0", "300"} {
		code, _, errs = flow("fit", "-train", train, "-out", filepath.Join(dir, "bad.json"), "-shards", bad)
		require.Equal(t, 2, code)
		require.Contains(t, errs, "-shards "+bad+": want 1 to -batch (256)")
		require.NoFileExists(t, filepath.Join(dir, "bad.json"))
	}
}
