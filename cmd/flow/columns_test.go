package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestColumnsByName: validation, test and scored data are matched to the training columns by
// name: another order is reordered, other names are refused with both lists (they used to be
// taken by position), and -ignore-header takes them by position.
func TestColumnsByName(t *testing.T) {
	dir := t.TempDir()
	rows := strings.Repeat("1,2,0.5\n2,3.5,1\n3,2.5,0\n0.5,1,2\n1.5,2,1\n", 12)
	swap := func(csv string) string { // columns 1 and 2 of every row swapped
		var b strings.Builder
		for _, line := range strings.Split(strings.TrimSpace(csv), "\n") {
			f := strings.Split(line, ",")
			b.WriteString(f[1] + "," + f[0] + "," + f[2] + "\n")
		}
		return b.String()
	}
	train := writeFile(t, dir, "train.csv", "a,b,c\n"+rows)
	reordered := writeFile(t, dir, "reordered.csv", "b,a,c\n"+swap(rows))
	renamed := writeFile(t, dir, "renamed.csv", "x,y,z\n"+rows)
	model := filepath.Join(dir, "m.json")
	fit := func(extra ...string) (int, string, string) {
		return flow(append([]string{"fit", "-train", train, "-out", model, "-epochs", "2", "-hidden", "4", "-layers", "1"}, extra...)...)
	}
	code, _, errs := fit("-val", renamed)
	require.Equal(t, 1, code)
	require.Contains(t, errs, `renamed.csv: the columns ["x", "y", "z"] differ from the columns ["a", "b", "c"] of the training data `+train+` (give -ignore-header to match them by position)`)
	code, _, errs = fit("-test", renamed)
	require.Equal(t, 1, code)
	require.Contains(t, errs, `renamed.csv: the columns ["x", "y", "z"] differ`)

	code, byPos, errs := fit("-val", renamed, "-test", renamed, "-ignore-header")
	require.Equal(t, 0, code, errs)
	code, byName, errs := fit("-val", reordered, "-test", reordered)
	require.Equal(t, 0, code, errs)
	last := func(s string) string { l := strings.Split(strings.TrimSpace(s), "\n"); return l[len(l)-1] }
	require.Equal(t, last(byPos), last(byName), "the reordered file holds the same rows")

	code, want, errs := flow("score", "-model", model, "-data", train)
	require.Equal(t, 0, code, errs)
	code, got, errs := flow("score", "-model", model, "-data", reordered)
	require.Equal(t, 0, code, errs)
	require.Equal(t, want, got)
	code, _, errs = flow("score", "-model", model, "-data", renamed)
	require.Equal(t, 1, code)
	require.Contains(t, errs, `of the model `+model)
	code, got, errs = flow("score", "-model", model, "-data", renamed, "-ignore-header")
	require.Equal(t, 0, code, errs)
	require.Equal(t, want, got)
}

// TestScoreNonFinite: a row whose log-density is -Inf is an error naming the row, and nothing is
// written (standard output used to get "-Inf" with exit status 0).
func TestScoreNonFinite(t *testing.T) {
	dir := t.TempDir()
	train := writeData(t, dir, "train.csv", 100, 2, 1)
	model := filepath.Join(dir, "m.json")
	code, _, errs := flow("fit", "-train", train, "-out", model, "-epochs", "1", "-hidden", "4", "-layers", "1")
	require.Equal(t, 0, code, errs)
	far := writeFile(t, dir, "far.csv", "c0,c1\n0,1\n1e300,1\n")
	code, out, errs := flow("score", "-model", model, "-data", far)
	require.Equal(t, 1, code)
	require.Empty(t, out)
	require.Contains(t, errs, "far.csv: row 2: log p(x) is -Inf under the model")
}

// TestResumeOtherRun: -resume refuses a checkpoint written by a run with another seed or other
// data, naming what differs.
func TestResumeOtherRun(t *testing.T) {
	dir := t.TempDir()
	train := writeData(t, dir, "train.csv", 100, 2, 1)
	other := writeData(t, dir, "other.csv", 100, 2, 2)
	ck := filepath.Join(dir, "ck")
	fit := func(data string, extra ...string) (int, string, string) {
		return flow(append([]string{"fit", "-train", data, "-out", filepath.Join(dir, "m.json"), "-epochs", "1", "-hidden", "4", "-layers", "1", "-checkpoint", ck}, extra...)...)
	}
	code, _, errs := fit(train)
	require.Equal(t, 0, code, errs)
	code, _, errs = fit(train, "-resume", "-seed", "2")
	require.Equal(t, 1, code)
	require.Contains(t, errs, "the checkpoint belongs to another run: training data")
	require.Contains(t, errs, "seed 1 (this run: 2)")
	code, _, errs = fit(other, "-resume")
	require.Equal(t, 1, code)
	require.Contains(t, errs, "the checkpoint belongs to another run: training data 90×2 sha256:")
	code, _, errs = fit(train, "-resume", "-epochs", "2")
	require.Equal(t, 0, code, errs) // more epochs: the same run, extended
}

// TestHugeModelRefused: -hidden 100000000 is refused before anything is allocated (it used to die
// of out-of-memory).
func TestHugeModelRefused(t *testing.T) {
	dir := t.TempDir()
	train := writeData(t, dir, "train.csv", 50, 2, 1)
	code, _, errs := flow("fit", "-train", train, "-out", filepath.Join(dir, "m.json"), "-hidden", "100000000")
	require.Equal(t, 2, code)
	require.Contains(t, errs, "distributions.MaxParams")
}
