package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// names lists the entries of dir.
func names(t *testing.T, dir string) []string {
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "model.json")
	require.NoError(t, WriteFileAtomic(p, func(w io.Writer) error {
		_, err := io.WriteString(w, "first")
		return err
	}))
	got, err := os.ReadFile(p)
	require.NoError(t, err)
	require.Equal(t, "first", string(got))
	info, err := os.Stat(p)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o644), info.Mode().Perm())

	// Replacing an existing file.
	require.NoError(t, WriteFileAtomic(p, func(w io.Writer) error {
		_, err := io.WriteString(w, "second")
		return err
	}))
	got, err = os.ReadFile(p)
	require.NoError(t, err)
	require.Equal(t, "second", string(got))
	require.Equal(t, []string{"model.json"}, names(t, dir))
}

func TestWriteFileAtomicFailure(t *testing.T) {
	boom := errors.New("boom")
	failing := func(w io.Writer) error {
		_, _ = io.WriteString(w, "partial content")
		return boom
	}

	t.Run("write fails, no file", func(t *testing.T) {
		dir := t.TempDir()
		p := filepath.Join(dir, "out.csv")
		err := WriteFileAtomic(p, failing)
		require.ErrorIs(t, err, boom)
		require.EqualError(t, err, "dataset: write "+p+": boom")
		require.Empty(t, names(t, dir))
	})

	t.Run("write fails, old file kept", func(t *testing.T) {
		dir := t.TempDir()
		p := filepath.Join(dir, "out.csv")
		require.NoError(t, os.WriteFile(p, []byte("old"), 0o600))
		require.ErrorIs(t, WriteFileAtomic(p, failing), boom)
		got, err := os.ReadFile(p)
		require.NoError(t, err)
		require.Equal(t, "old", string(got))
		require.Equal(t, []string{"out.csv"}, names(t, dir))
	})

	t.Run("write panics", func(t *testing.T) {
		dir := t.TempDir()
		p := filepath.Join(dir, "out.png")
		require.PanicsWithValue(t, "kaput", func() {
			_ = WriteFileAtomic(p, func(w io.Writer) error {
				_, _ = io.WriteString(w, "partial")
				panic("kaput")
			})
		})
		require.Empty(t, names(t, dir))
	})

	t.Run("rename fails", func(t *testing.T) {
		dir := t.TempDir()
		p := filepath.Join(dir, "taken")
		require.NoError(t, os.Mkdir(p, 0o755))
		err := WriteFileAtomic(p, func(w io.Writer) error { return nil })
		require.ErrorContains(t, err, "dataset: write "+p+": ")
		require.Equal(t, []string{"taken"}, names(t, dir))
	})

	t.Run("no directory", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "missing", "out.csv")
		err := WriteFileAtomic(p, func(w io.Writer) error { return nil })
		require.ErrorIs(t, err, os.ErrNotExist)
		require.ErrorContains(t, err, p)
	})
}
