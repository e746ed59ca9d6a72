package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestOutputsChecked: every output is checked before any work, and inputs, devices, directories
// and missing directories are refused with a line naming the flag; a symbolic link is written
// through; a replaced file keeps its mode.
func TestOutputsChecked(t *testing.T) {
	dir := t.TempDir()
	train := writeData(t, dir, "train.csv", 120, 2, 1)
	val := writeData(t, dir, "val.csv", 40, 2, 2)
	model := filepath.Join(dir, "m.json")
	fit := func(extra ...string) (int, string, string) {
		return flow(append([]string{"fit", "-train", train, "-val", val, "-epochs", "1", "-hidden", "4", "-layers", "1"}, extra...)...)
	}
	code, _, errs := fit("-out", model)
	require.Equal(t, 0, code, errs)
	trainBytes, err := os.ReadFile(train)
	require.NoError(t, err)
	link := filepath.Join(dir, "link.csv")
	require.NoError(t, os.Symlink(train, link))

	cases := []struct {
		name string
		args []string
		want string
	}{
		{"out is the training data", []string{"-out", train}, "-out: dataset: output " + train + ": is the same file as the input " + train},
		{"out is the validation data", []string{"-out", val}, "is the same file as the input " + val},
		{"out links to the training data", []string{"-out", link}, "is the same file as the input " + train},
		{"checkpoint is the training data", []string{"-out", filepath.Join(dir, "n.json"), "-checkpoint", train}, "-checkpoint: dataset: output " + train + ": is the same file as the input"},
		{"out and checkpoint alike", []string{"-out", filepath.Join(dir, "n.json"), "-checkpoint", filepath.Join(dir, "n.json")}, "-out and -checkpoint name the same file"},
		{"device", []string{"-out", "/dev/null"}, "/dev/null is a character device, not a regular file"},
		{"directory", []string{"-out", dir}, "is a directory"},
		{"missing directory", []string{"-out", filepath.Join(dir, "nope", "m.json")}, "the directory " + filepath.Join(dir, "nope") + " does not exist"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := fit(c.args...)
			require.NotEqual(t, 0, code)
			require.Contains(t, errs, c.want)
			require.NotContains(t, errs, "epoch 1", "the check comes before training")
			require.NotContains(t, out, "wrote")
		})
	}
	got, err := os.ReadFile(train)
	require.NoError(t, err)
	require.Equal(t, trainBytes, got, "the training data are intact")
	info, err := os.Stat("/dev/null")
	require.NoError(t, err)
	require.NotZero(t, info.Mode()&os.ModeCharDevice, "/dev/null is still a device")

	t.Run("score, sample and inspect", func(t *testing.T) {
		for _, args := range [][]string{
			{"score", "-model", model, "-data", train, "-out", train},
			{"score", "-model", model, "-data", train, "-out", model},
			{"sample", "-model", model, "-out", model},
			{"inspect", "-model", model, "-png", model},
		} {
			code, _, errs := flow(args...)
			require.Equal(t, 1, code, strings.Join(args, " "))
			require.Contains(t, errs, "is the same file as the input", strings.Join(args, " "))
		}
	})

	t.Run("symlink and mode", func(t *testing.T) {
		target := filepath.Join(dir, "target.json")
		require.NoError(t, os.WriteFile(target, []byte("old"), 0o600))
		require.NoError(t, os.Chmod(target, 0o600))
		ln := filepath.Join(dir, "ln.json")
		require.NoError(t, os.Symlink(target, ln))
		code, _, errs := fit("-out", ln)
		require.Equal(t, 0, code, errs)
		info, err := os.Lstat(ln)
		require.NoError(t, err)
		require.NotZero(t, info.Mode()&os.ModeSymlink, "the link stays a link")
		info, err = os.Stat(target)
		require.NoError(t, err)
		require.Equal(t, os.FileMode(0o600), info.Mode().Perm())
		b, err := os.ReadFile(target)
		require.NoError(t, err)
		require.Contains(t, string(b), "affine-injection-flow/v1")
	})
}
