package main

import (
	"bytes"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// flow runs the command line in-process and returns the exit status, stdout and stderr.
func flow(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

// writeData writes an n×d CSV of correlated Gaussian rows with a header.
func writeData(t *testing.T, dir, name string, n, d int, seed int64) string {
	rng := rand.New(rand.NewSource(seed))
	var b strings.Builder
	for j := 0; j < d; j++ {
		if j > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "c%d", j)
	}
	b.WriteByte('\n')
	for i := 0; i < n; i++ {
		z := rng.NormFloat64()
		for j := 0; j < d; j++ {
			if j > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "%.6f", z*float64(j+1)+rng.NormFloat64()+float64(j))
		}
		b.WriteByte('\n')
	}
	path := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o644))
	return path
}

func writeFile(t *testing.T, dir, name, content string) string {
	path := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	return path
}

func TestFitScoreSampleInspect(t *testing.T) {
	dir := t.TempDir()
	train := writeData(t, dir, "train.csv", 300, 3, 1)
	val := writeData(t, dir, "val.csv", 60, 3, 2)
	test := writeData(t, dir, "test.csv", 60, 3, 3)
	model := filepath.Join(dir, "m.json")
	code, out, errs := flow("fit", "-train", train, "-val", val, "-test", test, "-out", model,
		"-epochs", "3", "-hidden", "16,16", "-standardize")
	require.Equal(t, 0, code, errs)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Regexp(t, `^test_nll=-?[0-9.]+$`, lines[len(lines)-1])

	code, out, errs = flow("score", "-model", model, "-data", test)
	require.Equal(t, 0, code, errs)
	rows := strings.Split(strings.TrimSpace(out), "\n")
	require.Equal(t, "log_prob", rows[0])
	require.Len(t, rows, 61)

	scores := filepath.Join(dir, "scores.csv")
	code, _, errs = flow("score", "-model", model, "-data", test, "-out", scores)
	require.Equal(t, 0, code, errs)
	got, err := os.ReadFile(scores)
	require.NoError(t, err)
	require.Equal(t, out, string(got))

	code, out, errs = flow("sample", "-model", model, "-n", "5", "-seed", "3")
	require.Equal(t, 0, code, errs)
	rows = strings.Split(strings.TrimSpace(out), "\n")
	require.Equal(t, "c0,c1,c2", rows[0])
	require.Len(t, rows, 6)

	png := filepath.Join(dir, "m.png")
	code, out, errs = flow("inspect", "-model", model, "-png", png)
	require.Equal(t, 0, code, errs)
	require.Contains(t, out, "elementwise_affine (standardize, frozen)")
	require.Regexp(t, `layer 1: affine_injection \(MADE\) order=\[[1-3 ]+\]`, out)
	info, err := os.Stat(png)
	require.NoError(t, err)
	require.Greater(t, info.Size(), int64(1000))
}

// TestBadInput: every refusal has exit status 1 (bad data or model) or 2 (bad command line), a
// message naming what is wrong, and no model file left behind.
func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	good := writeData(t, dir, "good.csv", 50, 2, 1)
	wide := writeData(t, dir, "wide.csv", 50, 3, 1)
	model := filepath.Join(dir, "m.json")
	require.Equal(t, 0, first(flow("fit", "-train", good, "-out", model, "-epochs", "1", "-hidden", "8")))
	bad := map[string]string{
		"nan.csv":      "a,b\n1,2\nNaN,3\n",
		"inf.csv":      "a,b\n1,2\n3,+Inf\n",
		"ragged.csv":   "a,b\n1,2\n3\n",
		"text.csv":     "a,b\n1,2\n3,hello\n",
		"empty.csv":    "",
		"header.csv":   "a,b\n",
		"trunc.json":   "{\"format\": \"affine-injection-flow/v1\", \"dim\": 2, \"la",
		"foreign.json": "{\"hello\": 1}",
	}
	for name, content := range bad {
		writeFile(t, dir, name, content)
	}
	out := filepath.Join(dir, "out.json")
	p := func(n string) string { return filepath.Join(dir, n) }
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"fit", "-train", p("nan.csv"), "-out", out}, 1, `nan.csv: line 3 (row 2), column 1 ("a")`},
		{[]string{"fit", "-train", p("inf.csv"), "-out", out}, 1, `column 2 ("b")`},
		{[]string{"fit", "-train", p("ragged.csv"), "-out", out}, 1, "ragged.csv: line 3"},
		{[]string{"fit", "-train", p("text.csv"), "-out", out}, 1, `"hello"`},
		{[]string{"fit", "-train", p("empty.csv"), "-out", out}, 1, "empty.csv"},
		{[]string{"fit", "-train", p("header.csv"), "-out", out}, 1, "header.csv"},
		{[]string{"fit", "-train", p("missing.csv"), "-out", out}, 1, "missing.csv"},
		{[]string{"fit", "-train", good, "-val", wide, "-out", out}, 1, `wide.csv: the columns ["c0", "c1", "c2"] differ from the columns ["c0", "c1"] of the training data`},
		{[]string{"fit", "-train", good, "-out", out, "-mask", "block:1,2"}, 2, "block sizes [1 2] sum to 3, the data have 2"},
		{[]string{"fit", "-train", good, "-out", out, "-mask", "block:1,x"}, 2, `block size "x"`},
		{[]string{"fit", "-train", good, "-out", out, "-mask", "diagonal"}, 2, `unknown mask kind`},
		{[]string{"fit", "-train", good, "-out", out, "-epochs", "-1"}, 2, "-epochs -1"},
		{[]string{"fit", "-train", good, "-out", out, "-patience", "soon"}, 2, `-patience "soon": want auto or a whole number`},
		{[]string{"fit", "-train", good, "-out", out, "-hidden", "12,a"}, 2, `-hidden "12,a"`},
		{[]string{"fit", "-train", good, "-out", out, "-lr", "-1"}, 2, "-lr -1"},
		{[]string{"fit", "-train", good, "-out", out, "-scale-clamp", "0"}, 2, "-scale-clamp 0: want a bound > 0, or a negative value for none"},
		{[]string{"fit", "-train", good, "-out", out, "-bogus"}, 2, "flag provided but not defined: -bogus"},
		{[]string{"fit", "-out", out}, 2, "-train is required"},
		{[]string{"fit", "-train", good}, 2, "-out is required"},
		{[]string{"score", "-model", model, "-data", wide}, 1, `wide.csv: the columns ["c0", "c1", "c2"] differ from the columns ["c0", "c1"] of the model`},
		{[]string{"score", "-model", p("trunc.json"), "-data", good}, 1, "trunc.json"},
		{[]string{"score", "-model", p("foreign.json"), "-data", good}, 1, "foreign.json"},
		{[]string{"score", "-model", p("nomodel.json"), "-data", good}, 1, "nomodel.json"},
		{[]string{"sample", "-model", model, "-n", "-3"}, 2, "-n -3: want 1 to 1000000000"},
		{[]string{"sample", "-model", model, "-n", "x"}, 2, "invalid value"},
		{[]string{"inspect"}, 2, "-model is required"},
		{[]string{"train"}, 2, `unknown command "train"`},
		{[]string{}, 2, "usage"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			code, _, errs := flow(c.args...)
			require.Equal(t, c.code, code, errs)
			require.Contains(t, errs, c.want)
			require.NotContains(t, errs, "goroutine", "a panic trace")
			_, err := os.Stat(out)
			require.True(t, os.IsNotExist(err), "a failed command left %s", out)
		})
	}
}

// TestFailedFitLeavesNoModel: training that diverges (a learning rate far too large with no
// clipping) fails with exit status 1 and writes nothing; on these 200 rows the defaults select
// between models, and the error names every candidate.
func TestFailedFitLeavesNoModel(t *testing.T) {
	dir := t.TempDir()
	train := writeData(t, dir, "train.csv", 200, 2, 1)
	writeFile(t, dir, "m.json", "keep me")
	out := filepath.Join(dir, "new.json")
	// the affine candidates diverge (the spline candidate, which has no log-scale to blow up, is
	// not asked for: -layers and -mask give one model)
	code, _, errs := flow("fit", "-train", train, "-out", out, "-epochs", "30", "-lr", "1e6", "-clip", "-1", "-scale-clamp", "-1", "-hidden", "8",
		"-layers", "5", "-mask", "made")
	require.Equal(t, 1, code, errs)
	require.Contains(t, errs, "flow: trainer: epoch")
	_, err := os.Stat(out)
	require.True(t, os.IsNotExist(err))
	entries, _ := os.ReadDir(dir)
	require.Len(t, entries, 2, "no temporary files are left")
}

func first(code int, _, _ string) int { return code }

// TestFitDeterministic: the same seed and data give the same model file, byte for byte.
func TestFitDeterministic(t *testing.T) {
	dir := t.TempDir()
	train := writeData(t, dir, "train.csv", 200, 3, 1)
	var files [2][]byte
	for k := range files {
		out := filepath.Join(dir, fmt.Sprintf("m%d.json", k))
		code, _, errs := flow("fit", "-train", train, "-out", out, "-epochs", "2", "-hidden", "8,8", "-mask", "injection", "-seed", "4")
		require.Equal(t, 0, code, errs)
		b, err := os.ReadFile(out)
		require.NoError(t, err)
		files[k] = bytes.ReplaceAll(b, []byte(fmt.Sprintf("m%d.json", k)), nil) // the command line names the output
	}
	require.Equal(t, files[0], files[1])
}
