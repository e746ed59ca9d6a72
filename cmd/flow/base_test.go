package main

import (
	"path/filepath"
	"testing"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/modelfile"
	"github.com/stretchr/testify/require"
)

// -base student-t:NU gives the model a Student-t base, which the model file keeps and inspect
// names, without turning the selection off; a bad -base is a usage error.
func TestFitStudentTBase(t *testing.T) {
	dir := t.TempDir()
	train := writeData(t, dir, "train.csv", 120, 3, 1)
	model := filepath.Join(dir, "t.json")
	code, out, errs := flow("fit", "-train", train, "-out", model, "-epochs", "2", "-hidden", "8", "-base", "student-t:7.5")
	require.Equal(t, 0, code, errs)
	require.Contains(t, out, "selected", "the base does not turn the selection off")
	f, _, err := modelfile.Load(model)
	require.NoError(t, err)
	require.Equal(t, distributions.StudentT{D: 3, Nu: 7.5}, f.Base)

	code, out, errs = flow("inspect", "-model", model)
	require.Equal(t, 0, code, errs)
	require.Contains(t, out, "student_t (nu=7.5)")

	for _, bad := range []string{"student-t:0", "student-t:-2", "student-t:x", "student-t:", "t:5", "laplace", "student-t:Inf"} {
		code, _, errs := flow("fit", "-train", train, "-out", filepath.Join(dir, "bad.json"), "-base", bad)
		require.Equal(t, 2, code, bad)
		require.Contains(t, errs, `-base "`+bad+`"`)
		require.NoFileExists(t, filepath.Join(dir, "bad.json"))
	}
}

// With no -base flag the base is automatic: a Student-t of ν = 10 below
// distributions.SelectRows training rows (above: recipe's TestPlanDefaults); -base normal keeps
// N(0, I).
func TestFitAutoBase(t *testing.T) {
	dir := t.TempDir()
	train := writeData(t, dir, "train.csv", 120, 3, 1)
	student := distributions.StudentT{D: 3, Nu: distributions.DefaultNu}
	for _, c := range []struct {
		flag, named string
		want        any
	}{{"", "student-t:10 base", student}, {"auto", "student-t:10 base", student},
		{"normal", "normal base", distributions.StandardNormal{D: 3}}} {
		model := filepath.Join(dir, "m"+c.flag+".json")
		args := []string{"fit", "-train", train, "-out", model, "-epochs", "1", "-hidden", "8", "-select", "none"}
		if c.flag != "" {
			args = append(args, "-base", c.flag)
		}
		code, out, errs := flow(args...)
		require.Equal(t, 0, code, errs)
		require.Contains(t, out, c.named, "fit names the base")
		f, _, err := modelfile.Load(model)
		require.NoError(t, err)
		require.Equal(t, c.want, f.Base, "-base %q", c.flag)
	}
}

// -base mog:K and made-mog:K fit mixture bases, which the model file keeps and inspect names.
func TestFitMixtureBase(t *testing.T) {
	dir := t.TempDir()
	train := writeData(t, dir, "train.csv", 120, 2, 1)
	for _, c := range []struct {
		base, inspect string
		check         func(b distributions.Base)
	}{
		{"mog:3", "mixture of 3 diagonal Gaussians", func(b distributions.Base) {
			m, ok := b.(*distributions.Mixture)
			require.True(t, ok, "%T", b)
			require.Equal(t, 3, m.K())
		}},
		{"made-mog:2", "made_mixture (MADE MoG: per dimension a mixture of 2 Gaussians", func(b distributions.Base) {
			m, ok := b.(*distributions.MADEMixture)
			require.True(t, ok, "%T", b)
			require.Equal(t, 2, m.K)
		}},
	} {
		model := filepath.Join(dir, c.base+".json")
		code, out, errs := flow("fit", "-train", train, "-out", model, "-epochs", "2", "-hidden", "8", "-select", "none", "-base", c.base)
		require.Equal(t, 0, code, errs)
		require.Contains(t, out, c.base+" base")
		f, _, err := modelfile.Load(model)
		require.NoError(t, err)
		c.check(f.Base)
		code, out, errs = flow("inspect", "-model", model)
		require.Equal(t, 0, code, errs)
		require.Contains(t, out, c.inspect)
	}
	for _, bad := range []string{"mog:0", "mog:x", "mog:", "made-mog:0", "made-mog:2000"} {
		code, _, errs := flow("fit", "-train", train, "-out", filepath.Join(dir, "bad.json"), "-base", bad)
		require.Equal(t, 2, code, bad)
		require.Contains(t, errs, `-base "`+bad+`"`)
	}
}

// -base student-t:learn learns ν with the flow, starting at 10; the model file keeps it learnable.
func TestFitLearnedNu(t *testing.T) {
	dir := t.TempDir()
	train := writeData(t, dir, "train.csv", 300, 2, 1)
	model := filepath.Join(dir, "t.json")
	code, out, errs := flow("fit", "-train", train, "-out", model, "-epochs", "5", "-hidden", "8", "-select", "none", "-base", "student-t:learn", "-lr", "0.01")
	require.Equal(t, 0, code, errs)
	require.Contains(t, out, "student-t:learn base")
	f, _, err := modelfile.Load(model)
	require.NoError(t, err)
	b, ok := f.Base.(*distributions.LearnedStudentT)
	require.True(t, ok, "%T", f.Base)
	require.NotEqual(t, float64(distributions.DefaultNu), b.Nu(), "ν moved in training")
	code, out, errs = flow("inspect", "-model", model)
	require.Equal(t, 0, code, errs)
	require.Contains(t, out, "learned)")
}
