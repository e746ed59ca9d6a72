package main

import (
	"bytes"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/affineflow/flow/dataset"
	"github.com/stretchr/testify/require"
)

// TestSampleBounds: absurd sample counts are usage errors, never an overflow panic or an
// out-of-memory crash.
func TestSampleBounds(t *testing.T) {
	dir := t.TempDir()
	train := writeData(t, dir, "train.csv", 100, 3, 1)
	model := filepath.Join(dir, "m.json")
	code, _, errs := flow("fit", "-train", train, "-out", model, "-epochs", "1", "-hidden", "4", "-layers", "1", "-context-cols", "c2")
	require.Equal(t, 0, code, errs)
	ctx := writeFile(t, dir, "ctx.csv", "c2\n1\n2\n3\n")
	plain := filepath.Join(dir, "p.json")
	code, _, errs = flow("fit", "-train", train, "-out", plain, "-epochs", "1", "-hidden", "4", "-layers", "1")
	require.Equal(t, 0, code, errs)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-model", plain, "-n", "1000000000000"}, "-n 1000000000000: want 1 to 1000000000"},
		{[]string{"-model", plain, "-n", "9223372036854775807"}, "-n 9223372036854775807: want 1 to 1000000000"},
		{[]string{"-model", plain, "-n", "99999999999999999999"}, "invalid value"},
		{[]string{"-model", model, "-context", ctx, "-n", "4611686018427387904"}, "want 1 to 1000000000"},
		{[]string{"-model", model, "-context", ctx, "-n", "500000000"}, "-n 500000000 per context row × 3 rows of " + ctx + ": more than 1000000000 samples"},
	} {
		code, _, errs := flow(append([]string{"sample"}, c.args...)...)
		require.Equal(t, 2, code, errs)
		require.Contains(t, errs, c.want)
		require.NotContains(t, errs, "goroutine")
	}
	code, out, errs := flow("sample", "-model", model, "-context", ctx, "-n", "2")
	require.Equal(t, 0, code, errs)
	require.Len(t, strings.Split(strings.TrimSpace(out), "\n"), 7)
}

// peakWriter records the largest live heap seen while output is written.
type peakWriter struct {
	n    int
	peak uint64
}

func (p *peakWriter) Write(b []byte) (int, error) {
	p.n += len(b)
	if p.n >= 1<<20 {
		p.n = 0
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		p.peak = max(p.peak, ms.HeapAlloc)
	}
	return len(b), nil
}

// TestSampleStreams: samples are drawn and written in blocks, so memory does not grow with -n:
// 2,000,000 rows of 2 columns (32 MB of values, which the whole-matrix inversion held several
// times over) stay within a few MB of live heap.
func TestSampleStreams(t *testing.T) {
	if testing.Short() {
		t.Skip("draws many samples (-short)")
	}
	dir := t.TempDir()
	train := writeData(t, dir, "train.csv", 200, 2, 1)
	model := filepath.Join(dir, "m.json")
	code, _, errs := flow("fit", "-train", train, "-out", model, "-epochs", "1", "-hidden", "8", "-layers", "2")
	require.Equal(t, 0, code, errs)
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	pw := &peakWriter{}
	code = run([]string{"sample", "-model", model, "-n", "2000000"}, pw, io.Discard)
	require.Equal(t, 0, code)
	grown := int64(pw.peak) - int64(ms.HeapAlloc)
	t.Logf("live heap grew by at most %.1f MB while writing 2,000,000 samples", float64(grown)/1e6)
	require.Less(t, grown, int64(16<<20))

	// blocks do not change what a seed gives: the first rows of a long run are a short run (to
	// rounding: a row's inverse may run in a matrix of another size)
	var long, short bytes.Buffer
	require.Equal(t, 0, run([]string{"sample", "-model", model, "-n", "5000", "-seed", "7"}, &long, io.Discard))
	require.Equal(t, 0, run([]string{"sample", "-model", model, "-n", "100", "-seed", "7"}, &short, io.Discard))
	lt, err := dataset.ReadCSV(&long, "long")
	require.NoError(t, err)
	st, err := dataset.ReadCSV(&short, "short")
	require.NoError(t, err)
	for i := range 100 {
		for j := range 2 {
			require.InDelta(t, st.X.At(i, j), lt.X.At(i, j), 1e-12*(1+math.Abs(st.X.At(i, j))), "row %d", i)
		}
	}
}

// TestStdoutCSV: standard output follows the CSV rules of -out (one writer): a column name with a
// comma is quoted, so the output reads back with the model's columns.
func TestStdoutCSV(t *testing.T) {
	dir := t.TempDir()
	train := writeFile(t, dir, "train.csv", "\"x,y\",b\n"+strings.Repeat("1,2\n2,3.5\n3,2.5\n0.5,1\n", 20))
	model := filepath.Join(dir, "m.json")
	code, _, errs := flow("fit", "-train", train, "-out", model, "-epochs", "1", "-hidden", "4", "-layers", "1")
	require.Equal(t, 0, code, errs)
	code, out, errs := flow("sample", "-model", model, "-n", "3")
	require.Equal(t, 0, code, errs)
	require.True(t, strings.HasPrefix(out, "\"x,y\",b\n"), out)
	tab, err := dataset.ReadCSV(strings.NewReader(out), "stdout")
	require.NoError(t, err)
	require.Equal(t, []string{"x,y", "b"}, tab.Columns)
	file := filepath.Join(dir, "s.csv")
	code, _, errs = flow("sample", "-model", model, "-n", "3", "-out", file)
	require.Equal(t, 0, code, errs)
	b, err := os.ReadFile(file)
	require.NoError(t, err)
	require.Equal(t, out, string(b), "standard output and -out write the same bytes")
}
