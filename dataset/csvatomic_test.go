package dataset

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// WriteCSV leaves nothing behind when the underlying write fails (it writes through
// atomicfile.WriteFileAtomic).
func TestWriteCSVNoFileOnFailure(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "taken.csv")
	require.NoError(t, os.Mkdir(p, 0o755))
	require.Error(t, WriteCSV(p, []string{"a"}, mustDense(2, 1, 1, 2)))
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 1, "only the directory that was in the way")
}
