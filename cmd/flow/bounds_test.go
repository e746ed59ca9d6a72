package main

import (
	"fmt"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/affineflow/flow/dataset"
	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/modelfile"
	"github.com/stretchr/testify/require"
)

// -bounds puts the bounded layer first: the model file has it, samples lie inside the bounds, and
// a value outside them, a bad flag or a column that is not modelled is refused, naming it.
func TestFitBounds(t *testing.T) {
	dir := t.TempDir()
	train := writeData(t, dir, "train.csv", 150, 3, 1)
	model := filepath.Join(dir, "m.json")
	code, _, errs := flow("fit", "-train", train, "-out", model, "-epochs", "2", "-hidden", "8", "-select", "none", "-bounds", "c0=-20:20,c2=-15:25")
	require.Equal(t, 0, code, errs)
	f, _, err := modelfile.Load(model)
	require.NoError(t, err)
	b, ok := f.Layers[0].(*layers.Bounded)
	require.True(t, ok, "the first layer is %T", f.Layers[0])
	require.Equal(t, []bool{true, false, true}, []bool{b.Bounded(0), b.Bounded(1), b.Bounded(2)})

	samples := filepath.Join(dir, "s.csv")
	code, _, errs = flow("sample", "-model", model, "-n", "2000", "-out", samples)
	require.Equal(t, 0, code, errs)
	s, err := dataset.Load(samples)
	require.NoError(t, err)
	for r := range 2000 {
		require.True(t, s.X.At(r, 0) >= -20 && s.X.At(r, 0) <= 20 && s.X.At(r, 2) >= -15 && s.X.At(r, 2) <= 25, "sample %d outside the bounds", r)
	}

	outside := filepath.Join(dir, "outside.csv")
	require.NoError(t, os.WriteFile(outside, []byte("c0,c1,c2\n0,0,0\n0.5,1,30\n"), 0o644))
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"-train", train, "-bounds", "c0=-1:1"}, 1, `train.csv: row `},
		{[]string{"-train", train, "-test", outside, "-bounds", "c2=-15:25"}, 1, `outside.csv: row 2, column 3 ("c2"): 30 is not inside its -bounds (-15, 25)`},
		{[]string{"-train", train, "-bounds", "c0=1:-1"}, 2, "want lo < hi"},
		{[]string{"-train", train, "-bounds", "c0"}, 2, "want name=lo:hi"},
		{[]string{"-train", train, "-bounds", "c9=0:1"}, 2, `"c9" is not a modelled column`},
	} {
		code, _, errs := flow(append([]string{"fit", "-out", filepath.Join(dir, "bad.json"), "-epochs", "1"}, c.args...)...)
		require.Equal(t, c.code, code, errs)
		require.Contains(t, errs, c.want)
		require.False(t, strings.Contains(errs, "goroutine"))
		require.NoFileExists(t, filepath.Join(dir, "bad.json"))
	}
}

// -discrete dequantizes integer columns: the meta names them, test_nll is marked as a bound, and
// flow sample writes integers in those columns; a column of non-integers is refused.
func TestFitDiscrete(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("count,x\n")
	for i := range 200 {
		fmt.Fprintf(&b, "%d,%g\n", i%7, float64(i%13)/3+0.1)
	}
	train := filepath.Join(dir, "train.csv")
	require.NoError(t, os.WriteFile(train, []byte(b.String()), 0o644))
	model := filepath.Join(dir, "m.json")
	code, _, errs := flow("fit", "-train", train, "-test", train, "-out", model, "-epochs", "2", "-hidden", "8", "-select", "none", "-discrete", "auto")
	require.Equal(t, 0, code, errs)
	_, meta, err := modelfile.Load(model)
	require.NoError(t, err)
	names, _ := meta.Strings("discrete")
	require.Equal(t, []string{"count"}, names)
	require.Contains(t, meta, "test_nll_bound")

	samples := filepath.Join(dir, "s.csv")
	code, _, errs = flow("sample", "-model", model, "-n", "300", "-out", samples)
	require.Equal(t, 0, code, errs)
	s, err := dataset.Load(samples)
	require.NoError(t, err)
	for r := range 300 {
		require.Equal(t, math.Floor(s.X.At(r, 0)), s.X.At(r, 0), "sample %d", r)
	}

	code, _, errs = flow("fit", "-train", train, "-out", filepath.Join(dir, "bad.json"), "-discrete", "x")
	require.Equal(t, 1, code, errs)
	require.Contains(t, errs, "is not an integer")
	code, _, errs = flow("fit", "-train", train, "-out", filepath.Join(dir, "bad.json"), "-discrete", "y")
	require.Equal(t, 2, code, errs)
	require.Contains(t, errs, `"y" is not a modelled column`)
}

// One-sided bounds use the inverse softplus; -bounds auto finds (0, 1) and (0, ∞) columns, and a
// test value outside what it found is refused.
func TestFitBoundsOneSidedAndAuto(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("share,amount,x\n")
	rng := rand.New(rand.NewSource(1))
	for range 200 {
		fmt.Fprintf(&b, "%g,%g,%g\n", 0.05+0.9*rng.Float64(), math.Exp(rng.NormFloat64()), rng.NormFloat64())
	}
	train := filepath.Join(dir, "train.csv")
	require.NoError(t, os.WriteFile(train, []byte(b.String()), 0o644))
	model := filepath.Join(dir, "m.json")
	code, _, errs := flow("fit", "-train", train, "-out", model, "-epochs", "2", "-hidden", "8", "-select", "none", "-bounds", "auto")
	require.Equal(t, 0, code, errs)
	require.Contains(t, errs, "bounds (auto): share (0, 1), amount (0, +Inf)")
	f, _, err := modelfile.Load(model)
	require.NoError(t, err)
	_, two := f.Layers[0].(*layers.Bounded)
	h, one := f.Layers[1].(*layers.HalfBounded)
	require.True(t, two && one, "%T %T", f.Layers[0], f.Layers[1])
	require.Equal(t, []int{0, 1, 0}, h.Side)

	samples := filepath.Join(dir, "s.csv")
	code, _, errs = flow("sample", "-model", model, "-n", "2000", "-out", samples)
	require.Equal(t, 0, code, errs)
	s, err := dataset.Load(samples)
	require.NoError(t, err)
	for r := range 2000 {
		require.True(t, s.X.At(r, 0) >= 0 && s.X.At(r, 0) <= 1 && s.X.At(r, 1) >= 0, "sample %d outside the supports", r)
	}

	code, _, errs = flow("fit", "-train", train, "-out", filepath.Join(dir, "m2.json"), "-epochs", "1", "-hidden", "8", "-select", "none", "-bounds", "x=:10,amount=0:")
	require.Equal(t, 0, code, errs)
	test := filepath.Join(dir, "test.csv")
	require.NoError(t, os.WriteFile(test, []byte("share,amount,x\n0.5,0,1\n"), 0o644))
	code, _, errs = flow("fit", "-train", train, "-test", test, "-out", filepath.Join(dir, "bad.json"), "-bounds", "auto")
	require.Equal(t, 1, code, errs)
	require.Contains(t, errs, `row 1, column 2 ("amount"): 0 is not inside its -bounds (0, +Inf)`)
	code, _, errs = flow("fit", "-train", train, "-out", filepath.Join(dir, "bad.json"), "-bounds", "x=:")
	require.Equal(t, 2, code, errs)
}
