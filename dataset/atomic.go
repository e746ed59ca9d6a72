package dataset

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// WriteFileAtomic creates or replaces the file at path with what write writes, so that path holds
// either the complete new content or whatever it held before. write gets a buffered writer on a
// temporary file ".<base>.tmp*" in path's directory; after write returns nil the buffer is flushed
// and the file is fsynced, closed and renamed over path, and then the directory is fsynced (best
// effort) so that the rename survives a crash. The new file has mode 0644.
//
// On any error, including one returned by write, and on a panic in write (which propagates), the
// temporary file is removed and path is left as it was: no new file appears. Errors name path and
// wrap the cause. Only a process killed mid-write can leave a temporary file behind.
func WriteFileAtomic(path string, write func(io.Writer) error) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("dataset: write %s: %w", path, err)
	}
	tmp := f.Name()
	done := false
	defer func() {
		if !done {
			_ = f.Close() // may already be closed
			_ = os.Remove(tmp)
		}
	}()

	bw := bufio.NewWriterSize(f, 1<<16)
	steps := []func() error{
		func() error { return write(bw) },
		bw.Flush,
		func() error { return f.Chmod(0o644) },
		f.Sync,
		f.Close,
		func() error { return os.Rename(tmp, path) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return fmt.Errorf("dataset: write %s: %w", path, err)
		}
	}
	done = true
	syncDir(dir)
	return nil
}

// syncDir fsyncs a directory so that a rename in it is durable. Errors are ignored: the new file is
// already in place, and some systems cannot sync directories.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}
