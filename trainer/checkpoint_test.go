package trainer

import (
	"bytes"
	"encoding/gob"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"testing"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/distributions/toy"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// checkpointRun builds a small model and its training state, as Fit does for a checkpointed run of
// 10 steps an epoch on data.
func checkpointRun(t testing.TB, data *mat.Dense, s Settings) *training {
	f, err := distributions.Build(2, distributions.Spec{Layers: 2, Hidden: []int{4}}, rand.New(rand.NewSource(1)))
	require.NoError(t, err)
	s, err = s.withDefaults()
	require.NoError(t, err)
	sizes := []int{}
	for _, p := range f.Params() {
		sizes = append(sizes, p.Len())
	}
	tr := newTraining(f.Params(), newAdam(sizes))
	tr.id = newRunID(data, nil, s)
	return tr
}

// encoded returns the gob bytes of a checkpoint of tr after change was applied to it.
func encoded(t testing.TB, tr *training, change func(*checkpoint)) []byte {
	path := filepath.Join(t.TempDir(), "ck")
	require.NoError(t, tr.save(path))
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	c, err := decodeCheckpoint(bytes.NewReader(b))
	require.NoError(t, err)
	change(c)
	var buf bytes.Buffer
	require.NoError(t, gob.NewEncoder(&buf).Encode(c))
	return buf.Bytes()
}

// TestCheckpointRefused: crafted or foreign checkpoints give an error naming what is wrong, never
// a panic (a short M, V or Names used to index out of range), and leave the state untouched.
func TestCheckpointRefused(t *testing.T) {
	data := toy.TwoMoons(100, rand.New(rand.NewSource(1)))
	tr := checkpointRun(t, data, Settings{Seed: 1})
	for _, c := range []struct {
		name, want string
		change     func(*checkpoint)
	}{
		{"short M", "Adam moments M", func(c *checkpoint) { c.M = c.M[:1] }},
		{"short V", "Adam moments V", func(c *checkpoint) { c.V = nil }},
		{"short Names", "names", func(c *checkpoint) { c.Names = c.Names[:2] }},
		{"short vector", "best values", func(c *checkpoint) { c.Best[1] = c.Best[1][:1] }},
		{"renamed", "the model's is", func(c *checkpoint) { c.Names[0] = "other" }},
		{"NaN weight", "is NaN", func(c *checkpoint) { c.Params[0][0] = math.NaN() }},
		{"negative V", "Adam V[0] is -1", func(c *checkpoint) { c.V[0][0] = -1 }},
		{"negative epoch", "inconsistent counters", func(c *checkpoint) { c.Epoch = -3 }},
		{"history", "inconsistent history", func(c *checkpoint) { c.Epoch = 5 }},
		{"step", "step 10 of an epoch of 10 steps", func(c *checkpoint) { c.Step = 10 }},
		{"version", "checkpoint version 1", func(c *checkpoint) { c.Version = 1 }},
		{"other seed", "seed 7 (this run: 1)", func(c *checkpoint) { c.ID.Seed = 7 }},
		{"other data", "training data 100×1 sha256:", func(c *checkpoint) { c.ID.Train = fingerprint(data.Slice(0, 100, 0, 1).(*mat.Dense)) }},
		{"other rate", "learning rate 0.01 (this run: 0.001)", func(c *checkpoint) { c.ID.LearningRate = 0.01 }},
	} {
		t.Run(c.name, func(t *testing.T) {
			fresh := checkpointRun(t, data, Settings{Seed: 1})
			b := encoded(t, tr, c.change)
			path := filepath.Join(t.TempDir(), "ck")
			require.NoError(t, os.WriteFile(path, b, 0o644))
			before := fresh.params[0].Data()[0]
			loaded, err := fresh.load(path, 10)
			require.False(t, loaded)
			require.ErrorContains(t, err, "trainer: resume from "+path+": ")
			require.ErrorContains(t, err, c.want)
			require.Equal(t, before, fresh.params[0].Data()[0])
		})
	}
	t.Run("valid", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "ck")
		require.NoError(t, os.WriteFile(path, encoded(t, tr, func(*checkpoint) {}), 0o644))
		loaded, err := checkpointRun(t, data, Settings{Seed: 1}).load(path, 10)
		require.NoError(t, err)
		require.True(t, loaded)
	})
}

// FuzzCheckpoint: any bytes as a checkpoint give an error or a state that passes the checks; no
// panic. The corpus starts from a valid checkpoint and crafted ones.
func FuzzCheckpoint(f *testing.F) {
	data := toy.TwoMoons(100, rand.New(rand.NewSource(1)))
	tr := checkpointRun(f, data, Settings{Seed: 1})
	valid := encoded(f, tr, func(*checkpoint) {})
	f.Add(valid)
	f.Add(valid[:len(valid)/2])
	f.Add(encoded(f, tr, func(c *checkpoint) { c.M = c.M[:1] }))
	f.Add(encoded(f, tr, func(c *checkpoint) { c.Best = append(c.Best, []float64{1}) }))
	f.Add([]byte{})
	f.Add([]byte("not a checkpoint"))
	fresh := checkpointRun(f, data, Settings{Seed: 1}) // check only reads it
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := decodeCheckpoint(bytes.NewReader(b))
		if err != nil {
			return
		}
		if err := fresh.check(c, 10); err != nil {
			return
		}
		// what passed the checks must be usable: every vector has its parameter's length
		for k, p := range fresh.params {
			require.Len(t, c.Params[k], p.Len())
			require.Len(t, c.M[k], p.Len())
			require.Len(t, c.V[k], p.Len())
			require.Len(t, c.Best[k], p.Len())
		}
	})
}
