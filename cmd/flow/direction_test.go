package main

import (
	"path/filepath"
	"testing"

	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/modelfile"
	"github.com/stretchr/testify/require"
)

// -target fits a built-in density by reverse KL and writes an ordinary model file (IAF by
// default) whose meta records the fit; score, sample and inspect read it.
func TestFitTarget(t *testing.T) {
	dir := t.TempDir()
	model := filepath.Join(dir, "banana.json")
	code, out, errs := flow("fit", "-target", "banana", "-out", model, "-epochs", "2", "-hidden", "8", "-layers", "2")
	require.Equal(t, 0, code, errs)
	require.Contains(t, out, "fitted to banana by reverse KL")
	require.Contains(t, out, "kl_p_q=")
	require.Contains(t, errs, "elbo=")
	f, meta, err := modelfile.Load(model)
	require.NoError(t, err)
	require.Len(t, f.Layers, 2)
	for _, l := range f.Layers {
		require.IsType(t, &layers.Inverted{}, l)
	}
	require.Equal(t, "banana", meta["target"])
	for _, k := range []string{"elbo", "log_z", "ess", "kl_p_q", "true_log_z"} {
		require.Contains(t, meta, k)
	}
	code, _, errs = flow("sample", "-model", model, "-n", "4", "-out", filepath.Join(dir, "s.csv"))
	require.Equal(t, 0, code, errs)
	code, _, errs = flow("score", "-model", model, "-data", filepath.Join(dir, "s.csv"))
	require.Equal(t, 0, code, errs)
	code, out, errs = flow("inspect", "-model", model)
	require.Equal(t, 0, code, errs)
	require.Contains(t, out, "inverted (IAF) affine_injection (MADE)")
	require.Contains(t, out, "2 steps per density evaluation, one pass per sample")

	// the MAF direction samples through the sequential graph inverse
	code, out, errs = flow("fit", "-target", "u1", "-direction", "maf", "-out", filepath.Join(dir, "u1.json"), "-epochs", "1", "-hidden", "8", "-layers", "1")
	require.Equal(t, 0, code, errs)
	require.Contains(t, out, "(maf)")
}

// -direction iaf fits data with inverted layers (MAF-5 and MAF-10 to choose from); what has no
// graph inverse, and flags that do not apply to a target, are usage errors.
func TestFitDirection(t *testing.T) {
	dir := t.TempDir()
	train := writeData(t, dir, "train.csv", 150, 3, 1)
	model := filepath.Join(dir, "iaf.json")
	code, out, errs := flow("fit", "-train", train, "-out", model, "-epochs", "2", "-hidden", "8", "-direction", "iaf")
	require.Equal(t, 0, code, errs)
	require.Contains(t, out, "selected maf")
	f, _, err := modelfile.Load(model)
	require.NoError(t, err)
	require.IsType(t, &layers.Inverted{}, f.Layers[len(f.Layers)-1])
	out2 := filepath.Join(dir, "bad.json")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-train", train, "-direction", "iaf", "-mask", "block:2,1"}, "has no graph inverse"},
		{[]string{"-train", train, "-direction", "iaf", "-transform", "spline", "-select", "none"}, "spline"},
		{[]string{"-train", train, "-direction", "up"}, `-direction "up"`},
		{[]string{"-target", "u9"}, `-target "u9": unknown (known: banana, funnel, ring, u1, u2, u3, u4)`},
		{[]string{"-target", "u1", "-train", train}, "-train does not apply"},
		{[]string{"-target", "u1", "-base", "student-t:5"}, "-base does not apply"},
		{[]string{"-target", "funnel", "-mask", "block:5,5"}, "no graph inverse"},
	} {
		code, _, errs := flow(append([]string{"fit", "-out", out2}, c.args...)...)
		require.Equal(t, 2, code, "%v: %s", c.args, errs)
		require.Contains(t, errs, c.want, c.args)
	}
	require.NoFileExists(t, out2)
}
