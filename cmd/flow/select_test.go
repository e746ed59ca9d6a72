package main

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/modelfile"
	"github.com/stretchr/testify/require"
)

// TestFitSelect: with no model flag and fewer than 10,000 training rows, flow fit fits MAF-5,
// MAF-10 and block-triangular layers and keeps the one with the best validation NLL; each is
// fitted as it would be alone (the maf5 candidate's figure is that of -select none); a model flag
// or -select none fits one model.
func TestFitSelect(t *testing.T) {
	dir := t.TempDir()
	train := writeData(t, dir, "train.csv", 300, 3, 1)
	val := writeData(t, dir, "val.csv", 60, 3, 2)
	model := filepath.Join(dir, "m.json")
	ck := filepath.Join(dir, "ck")
	code, out, errs := flow("fit", "-train", train, "-val", val, "-out", model, "-epochs", "3", "-hidden", "8", "-checkpoint", ck)
	require.Equal(t, 0, code, errs)
	require.Contains(t, errs, "candidate 1 of 4: maf5")
	require.Contains(t, errs, "candidate 3 of 4: block")
	require.Contains(t, errs, "candidate 4 of 4: nsf5")
	require.Regexp(t, `selected (maf5|maf10|block|nsf5) on the validation split: maf5 val_nll=[0-9.]+, maf10 val_nll=[0-9.]+, block val_nll=[0-9.]+, nsf5 val_nll=[0-9.]+\n`, out)
	for _, name := range []string{"maf5", "maf10", "block", "nsf5"} {
		require.FileExists(t, ck+"."+name)
	}

	f, meta, err := modelfile.Load(model)
	require.NoError(t, err)
	valNLL, ok := meta.Number("val_nll")
	require.True(t, ok)
	cands, ok := meta["candidates"].([]any)
	require.True(t, ok, "meta candidates: %T", meta["candidates"])
	require.Len(t, cands, 4)
	byName := map[string]float64{}
	lowest := math.Inf(1)
	for _, c := range cands {
		m := c.(map[string]any)
		v := m["val_nll"].(float64)
		byName[m["name"].(string)] = v
		lowest = math.Min(lowest, v)
	}
	require.Equal(t, lowest, valNLL, "the chosen model has the lowest validation NLL")
	require.Equal(t, valNLL, byName[meta["selected"].(string)])
	injections := 0
	for _, l := range f.Layers {
		if _, ok := l.(*layers.AffineInjection); ok {
			injections++
		}
	}
	require.Equal(t, map[string]int{"maf5": 5, "maf10": 10, "block": 5, "nsf5": 5}[meta["selected"].(string)], injections)
	code, out, errs = flow("inspect", "-model", model)
	require.Equal(t, 0, code, errs)
	require.Regexp(t, `selected on the validation split: (maf5|maf10|block|nsf5) \(maf5 val_nll=[0-9.]+, maf10 val_nll=[0-9.]+, block val_nll=[0-9.]+, nsf5 val_nll=[0-9.]+\)\n`, out)

	for _, extra := range [][]string{{"-select", "none"}, {"-layers", "5"}, {"-mask", "made"}} {
		one := filepath.Join(dir, "one.json")
		args := append([]string{"fit", "-train", train, "-val", val, "-out", one, "-epochs", "3", "-hidden", "8"}, extra...)
		code, out, errs := flow(args...)
		require.Equal(t, 0, code, errs)
		require.NotContains(t, out, "selected")
		require.NotContains(t, errs, "candidate")
		_, meta, err := modelfile.Load(one)
		require.NoError(t, err)
		require.NotContains(t, meta, "selected")
		v, _ := meta.Number("val_nll")
		require.Equal(t, byName["maf5"], v, "%v: MAF-5 alone equals the maf5 candidate", extra)
	}
	require.NoError(t, os.Remove(model))
}

// From 10,000 training rows on, -select auto fits MAF-5 alone and -select always still selects;
// -select always refuses model flags, and other values are refused.
func TestFitSelectFlags(t *testing.T) {
	dir := t.TempDir()
	train := writeData(t, dir, "train.csv", 60, 3, 1)
	model := filepath.Join(dir, "m.json")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-select", "always", "-layers", "3"}, "-select always chooses the number of layers and the mask itself: drop -layers"},
		{[]string{"-select", "always", "-mask", "made"}, "drop -mask"},
		{[]string{"-select", "maybe"}, `-select "maybe": want auto, always or none`},
	} {
		code, _, errs := flow(append([]string{"fit", "-train", train, "-out", model}, c.args...)...)
		require.Equal(t, 2, code, errs)
		require.Contains(t, errs, c.want)
		require.NoFileExists(t, model)
	}
	// 11,111 rows: exactly 10,000 to train on after the 10% held out for validation
	big := writeData(t, dir, "big.csv", 11111, 3, 2)
	for _, sel := range []string{"auto", "always"} {
		code, out, errs := flow("fit", "-train", big, "-out", model, "-epochs", "1", "-hidden", "4", "-select", sel)
		require.Equal(t, 0, code, errs)
		if sel == "auto" {
			require.NotContains(t, out, "selected")
		} else {
			require.Contains(t, out, "selected")
		}
	}
}
