package dataset_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/affineflow/flow/dataset"
	"github.com/stretchr/testify/require"
)

func writeFile(t *testing.T, dir, name, text string) {
	t.Helper()
	require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644))
}

// LoadSplits reads train, val and test (or the names given), and refuses a missing split and
// columns other than the training columns, naming the file.
func TestLoadSplits(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "train.csv", "a,b\n1,2\n3,4\n")
	writeFile(t, dir, "val.csv", "a,b\n5,6\n")
	writeFile(t, dir, "subset_train.csv", "a,b\n7,8\n")
	_, err := dataset.LoadSplits(dir)
	require.ErrorContains(t, err, "no test.csv or test.npy")

	writeFile(t, dir, "test.csv", "a,b\n9,10\n")
	s, err := dataset.LoadSplits(dir)
	require.NoError(t, err)
	require.Equal(t, []string{"a", "b"}, s.Train.Columns)
	require.Equal(t, 10.0, s.Test.X.At(0, 1))
	r, _ := s.Train.X.Dims()
	require.Equal(t, 2, r)

	s, err = dataset.LoadSplits(dir, "subset_train", "val", "test")
	require.NoError(t, err)
	require.Equal(t, 7.0, s.Train.X.At(0, 0))

	writeFile(t, dir, "test.csv", "b,a\n9,10\n")
	_, err = dataset.LoadSplits(dir)
	require.ErrorContains(t, err, filepath.Join(dir, "test.csv"))
	require.ErrorContains(t, err, "differ from the training columns")
}
