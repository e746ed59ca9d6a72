package main

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The defaults row of the table is `flow fit` with no flags: for the same data and seed both write
// the same model file, byte for byte, but for the meta's "command" (each names its own command
// line); and with -fit-epochs N it is `flow fit -epochs N`. The flow binary is built from
// ../../cmd/flow.
func TestDefaultsRowIsFlowFit(t *testing.T) {
	if testing.Short() {
		t.Skip("builds cmd/flow and fits four times")
	}
	dir := t.TempDir()
	set := toySet(t, dir, "toy")

	bin := filepath.Join(dir, "flow")
	build := exec.Command("go", "build", "-o", bin, "../../cmd/flow")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)
	for _, epochs := range []int{0, 3} {
		cli := filepath.Join(dir, fmt.Sprintf("cli%d.json", epochs))
		args := []string{"fit", "-train", filepath.Join(set, "train.csv"), "-val", filepath.Join(set, "val.csv"),
			"-test", filepath.Join(set, "test.csv"), "-out", cli, "-seed", "4"}
		if epochs > 0 {
			args = append(args, "-epochs", fmt.Sprint(epochs))
		}
		out, err = exec.Command(bin, args...).CombinedOutput()
		require.NoError(t, err, "%s", out)

		models := filepath.Join(dir, fmt.Sprintf("models%d", epochs))
		require.NoError(t, os.Mkdir(models, 0o755))
		c := config{root: dir, patience: 30, seed: 4, models: models, fitEpochs: epochs}
		s, err := load(dir, "toy", 0)
		require.NoError(t, err)
		_, err = c.run("toy", s, "defaults")
		require.NoError(t, err)

		a, b := withoutCommand(t, cli), withoutCommand(t, filepath.Join(models, "toy--defaults--seed4.json"))
		require.Equal(t, string(a), string(b), "-fit-epochs %d", epochs)
	}
}

// withoutCommand returns the model file at path with its meta's "command" replaced by "".
func withoutCommand(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	var v struct {
		Meta map[string]json.RawMessage `json:"meta"`
	}
	require.NoError(t, json.Unmarshal(data, &v))
	cmd, ok := v.Meta["command"]
	require.True(t, ok, "%s has a command", path)
	require.Equal(t, 1, strings.Count(string(data), string(cmd)))
	return []byte(strings.Replace(string(data), string(cmd), `""`, 1))
}

// toySet writes a data set folder dir/name of two columns (train 60, val 20, test 20 rows) and
// returns its path.
func toySet(t *testing.T, dir, name string) string {
	set := filepath.Join(dir, name)
	require.NoError(t, os.Mkdir(set, 0o755))
	rng := rand.New(rand.NewSource(3))
	for _, split := range []struct {
		name string
		rows int
	}{{"train", 60}, {"val", 20}, {"test", 20}} {
		var b strings.Builder
		b.WriteString("u,v\n")
		for range split.rows {
			u := rng.NormFloat64()
			fmt.Fprintf(&b, "%.6f,%.6f\n", u, math.Sin(2*u)+0.3*rng.NormFloat64())
		}
		require.NoError(t, os.WriteFile(filepath.Join(set, split.name+".csv"), []byte(b.String()), 0o644))
	}
	return set
}
