//go:build unix

package modelfile_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/affineflow/flow/modelfile"
	"github.com/stretchr/testify/require"
)

// loadWithin runs Load in a goroutine and fails the test if it has not returned after a few
// seconds (the old Load blocked on a FIFO forever).
func loadWithin(t *testing.T, path string) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { _, _, err := modelfile.Load(path); done <- err }()
	select {
	case err := <-done:
		return err
	case <-time.After(5 * time.Second):
		t.Fatalf("Load(%s) still blocked after 5 s", path)
		return nil
	}
}

// Load reads only regular files of at most MaxFileSize bytes, and refuses anything else before
// reading it, with the path and the reason.
func TestLoadFileKinds(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.json")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	huge := filepath.Join(dir, "huge.json")
	h, err := os.Create(huge)
	require.NoError(t, err)
	require.NoError(t, h.Truncate(modelfile.MaxFileSize+1)) // sparse: takes no disk space
	require.NoError(t, h.Close())
	link := filepath.Join(dir, "link.json")
	require.NoError(t, os.Symlink(fifo, link))

	for _, c := range []struct{ name, path, want string }{
		{"directory", dir, dir + ": not a model file but a directory"},
		{"fifo", fifo, fifo + ": not a model file but a named pipe (FIFO)"},
		{"link to a fifo", link, link + ": not a model file but a named pipe (FIFO)"},
		{"device", os.DevNull, os.DevNull + ": not a model file but a character device"},
		{"over MaxFileSize", huge, huge + ": the file is 1073741825 bytes, over the limit modelfile.MaxFileSize = 1073741824"},
	} {
		t.Run(c.name, func(t *testing.T) {
			require.EqualError(t, loadWithin(t, c.path), c.want)
		})
	}
}

// A file whose size is not known in advance (in /proc, Stat says 0 bytes) is read through a
// limit too: it is refused once it gives more than MaxFileSize bytes (lowered here).
func TestLoadReadLimit(t *testing.T) {
	const path = "/proc/self/status"
	if _, err := os.Stat(path); err != nil {
		t.Skip(path, " is not available")
	}
	defer modelfile.SetTestLimits(100, 1<<26)()
	require.EqualError(t, loadWithin(t, path),
		path+": reading gave more than 100 bytes (the file was 0 bytes when opened), over the limit modelfile.MaxFileSize = 100")
}
