package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/affineflow/flow/modelfile"
	"github.com/stretchr/testify/require"
)

// TestFitNonFiniteTestNLL: a test row of log-density -Inf (a value of 1e300) makes the test NLL
// +Inf; the model is still written, the figure recorded as the string "+Inf" and the row named on
// stderr (the save used to fail with "json: unsupported value: +Inf", writing nothing).
func TestFitNonFiniteTestNLL(t *testing.T) {
	dir := t.TempDir()
	train := writeData(t, dir, "train.csv", 200, 2, 1)
	test := writeFile(t, dir, "test.csv", "c0,c1\n0.1,1.2\n1e300,0.5\n0.3,1.1\n")
	model := filepath.Join(dir, "m.json")
	code, out, errs := flow("fit", "-train", train, "-test", test, "-out", model, "-epochs", "2", "-hidden", "8", "-layers", "2")
	require.Equal(t, 0, code, errs)
	require.Contains(t, out, "test_nll=+Inf")
	require.Contains(t, errs, "test.csv: test_nll is +Inf: log p(x) is not finite on some rows (row 2: -Inf)")
	b, err := os.ReadFile(model)
	require.NoError(t, err)
	require.Contains(t, string(b), `"test_nll":"+Inf"`)
	code, out, _ = flow("inspect", "-model", model)
	require.Equal(t, 0, code)
	require.Contains(t, out, "test_nll: +Inf")
}

// TestFitDivergedKeepsBest: a fit whose loss turns non-finite after some epochs (a learning rate
// of several units, no clipping) exits 1 but writes the model of its best epoch, with the error in
// its meta; it used to write nothing although the message said the model held those weights.
func TestFitDivergedKeepsBest(t *testing.T) {
	dir := t.TempDir()
	train := writeData(t, dir, "train.csv", 300, 2, 1)
	epochRe := regexp.MustCompile(`the model holds the weights of epoch ([0-9]+)`)
	found := 0
	for _, lr := range []string{"1", "2", "3", "5"} {
		for seed := 1; seed <= 3; seed++ {
			model := filepath.Join(dir, fmt.Sprintf("m-%s-%d.json", lr, seed))
			code, out, errs := flow("fit", "-train", train, "-out", model, "-epochs", "60", "-lr", lr, "-clip", "-1",
				"-scale-clamp", "-1", "-hidden", "8", "-layers", "2", "-seed", fmt.Sprint(seed), "-patience", "0", "-base", "normal")
			m := epochRe.FindStringSubmatch(errs)
			if code == 0 || m == nil || m[1] == "0" {
				continue // converged, or failed before any epoch was done: nothing to keep
			}
			found++
			require.Equal(t, 1, code, errs)
			require.Contains(t, errs, "non-finite")
			require.Contains(t, errs, "; wrote it to "+model)
			require.Contains(t, out, fmt.Sprintf("best epoch %s of", m[1]))
			_, meta, err := modelfile.Load(model)
			require.NoError(t, err, errs)
			require.Equal(t, "failed", meta["stopped"])
			require.True(t, strings.HasPrefix(meta["error"].(string), "trainer: epoch"), meta["error"])
			require.EqualValues(t, mustAtoi(t, m[1]), meta["best_epoch"])
		}
	}
	t.Logf("%d settings diverged after their first epoch", found)
	require.Positive(t, found, "no setting diverged after its first epoch: the test needs another one")
}

func mustAtoi(t *testing.T, s string) float64 {
	var v int
	_, err := fmt.Sscan(s, &v)
	require.NoError(t, err)
	return float64(v)
}
