package modelfile_test

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/modelfile"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// entries lists the names in dir.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestSaveLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "model.json")
	f := refusalFlow(t)
	require.NoError(t, modelfile.Save(path, f, testMeta()))
	assert.Equal(t, []string{"model.json"}, entries(t, dir), "temporary files left behind")

	want, err := modelfile.Marshal(f, testMeta())
	require.NoError(t, err)
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got))
	info, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o644), info.Mode().Perm())

	g, meta, err := modelfile.Load(path)
	require.NoError(t, err)
	cols, _ := meta.Strings("columns")
	assert.Equal(t, []string{"a", "b"}, cols)
	x := dataRows(t, 3)
	lf, lg := f.LogProbs(x), g.LogProbs(x)
	for r := range lf {
		require.InDelta(t, lf[r], lg[r], 1e-12)
	}

	// Saving again replaces the file atomically and still leaves nothing else.
	require.NoError(t, modelfile.Save(path, f, nil))
	assert.Equal(t, []string{"model.json"}, entries(t, dir))
	_, meta, err = modelfile.Load(path)
	require.NoError(t, err)
	assert.Nil(t, meta)
}

func TestSaveRelativePath(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	require.NoError(t, modelfile.Save("m.json", refusalFlow(t), nil))
	assert.Equal(t, []string{"m.json"}, entries(t, dir))
}

func TestSaveFailureLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "no", "such", "dir", "model.json")
	err := modelfile.Save(missing, refusalFlow(t), nil)
	require.ErrorContains(t, err, "modelfile: save "+missing)
	_, statErr := os.Stat(missing)
	assert.True(t, os.IsNotExist(statErr))
	assert.Empty(t, entries(t, dir))

	// A model that cannot be written leaves an existing file untouched and no temporary file.
	path := filepath.Join(dir, "model.json")
	require.NoError(t, modelfile.Save(path, refusalFlow(t), nil))
	before, err := os.ReadFile(path)
	require.NoError(t, err)
	bad := refusalFlow(t)
	bad.Layers[3].(*layers.Linear).B.Data()[0] = math.Inf(1)
	require.ErrorContains(t, modelfile.Save(path, bad, nil), "layers[3] (linear): json: unsupported value: +Inf")
	after, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, before, after)
	assert.Equal(t, []string{"model.json"}, entries(t, dir))

	// Renaming onto a directory fails after the temporary file was written: it is removed.
	sub := filepath.Join(dir, "taken")
	require.NoError(t, os.Mkdir(sub, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(sub, "x"), nil, 0o644))
	require.Error(t, modelfile.Save(sub, refusalFlow(t), nil))
	assert.ElementsMatch(t, []string{"model.json", "taken"}, entries(t, dir))
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	_, _, err := modelfile.Load(filepath.Join(dir, "absent.json"))
	require.ErrorContains(t, err, "absent.json: no such file or directory")

	path := filepath.Join(dir, "cut.json")
	require.NoError(t, modelfile.Save(path, refusalFlow(t), nil))
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, b[:len(b)/2], 0o644))
	_, _, err = modelfile.Load(path)
	require.ErrorContains(t, err, path+": invalid JSON: unexpected end of JSON input")
}
