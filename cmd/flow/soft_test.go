package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/modelfile"
	"github.com/stretchr/testify/require"
)

// -mask soft trains learnable masks whose effective values the model file holds and inspect
// draws; -harden fine-tunes with 0/1 masks; the flags' refusals are usage errors.
func TestFitSoftMask(t *testing.T) {
	dir := t.TempDir()
	train := writeData(t, dir, "train.csv", 300, 3, 1)
	val := writeData(t, dir, "val.csv", 60, 3, 2)
	soft := filepath.Join(dir, "soft.json")
	code, _, errs := flow("fit", "-train", train, "-val", val, "-out", soft, "-mask", "soft", "-layers", "2",
		"-epochs", "3", "-hidden", "8", "-lr", "1e-2", "-sparsity", "0.05")
	require.Equal(t, 0, code, errs)
	f, meta, err := modelfile.Load(soft)
	require.NoError(t, err)
	// without -harden nothing was hardened: the meta says nothing of it (it once recorded
	// hardened_entries 0 and finetune_epochs 20 for every fit)
	for _, key := range []string{"hardened_entries", "finetune_epochs"} {
		_, ok := meta[key]
		require.False(t, ok, key)
	}
	inj := f.Layers[1].(*layers.Injection) // after the standardization (-standardize, the default)
	require.True(t, inj.Soft())
	m := inj.EffectiveMask()
	require.NotEqual(t, layers.DefaultMaskInit, m.At(1, 0), "training moved the mask")
	code, out, errs := flow("inspect", "-model", soft, "-png", filepath.Join(dir, "soft.png"))
	require.Equal(t, 0, code, errs)
	require.Contains(t, out, "learned soft mask")

	hard := filepath.Join(dir, "hard.json")
	code, out, errs = flow("fit", "-train", train, "-val", val, "-out", hard, "-mask", "made-soft", "-layers", "1",
		"-epochs", "2", "-hidden", "8", "-harden", "0.5", "-finetune-epochs", "2")
	require.Equal(t, 0, code, errs)
	require.Contains(t, errs, "hardened the soft masks")
	require.Contains(t, out, "of 2 (max epochs)")
	g, meta, err := modelfile.Load(hard)
	require.NoError(t, err)
	require.False(t, g.Layers[1].(*layers.AffineInjection).Soft())
	kept, ok := meta.Number("hardened_entries")
	require.True(t, ok)
	require.Contains(t, errs, fmt.Sprintf("hardened the soft masks: %d entries kept", int(kept)))
	ft, ok := meta.Number("finetune_epochs")
	require.True(t, ok)
	require.Equal(t, 2.0, ft)

	code, _, errs = flow("fit", "-train", train, "-val", val, "-out", hard, "-mask", "soft", "-layers", "1",
		"-epochs", "2", "-hidden", "8", "-harden-topk", "1", "-finetune-epochs", "0")
	require.Equal(t, 0, code, errs)
	g, _, err = modelfile.Load(hard)
	require.NoError(t, err)
	require.Equal(t, []float64{0, 0, 0, 1, 0, 0}, g.Layers[1].(*layers.Injection).Mask.RawMatrix().Data[:6])

	for _, c := range []struct{ args, want string }{
		{"-sparsity -1", "-sparsity -1: want >= 0"},
		{"-harden 1.5", "-harden 1.5"},
		{"-harden 0.5 -harden-topk 2", "exclude each other"},
		{"-finetune-epochs -2", "-finetune-epochs -2"},
		{"-mask made -harden 0.5", "has no soft masks"},
	} {
		args := append([]string{"fit", "-train", train, "-out", hard, "-epochs", "1", "-hidden", "4", "-layers", "1"}, strings.Fields(c.args)...)
		code, _, errs := flow(args...)
		require.Equal(t, 2, code, c.args)
		require.Contains(t, errs, c.want)
	}
}
