package atomicfile

import (
	"bufio"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// WriteFileAtomic creates or replaces the file at path with what write writes, so that path holds
// either the complete new content or whatever it held before. write gets a buffered writer on a
// temporary file ".<base>.tmp-<pid>-*" in the target's directory; after write returns nil the
// buffer is flushed and the file is fsynced, closed and renamed over the target, and then the
// directory is fsynced (best effort) so that the rename survives a crash.
//
// The target is path, or, when path is a symbolic link, the file the link points to (links are
// followed, the link itself stays). An existing target must be a regular file: a directory,
// device, FIFO or socket is refused before anything is written. A replaced file keeps its
// permission bits (and, where the process may set them, its owner and group); a new file has mode
// 0644. Temporary files of the same target left by a process that no longer runs (killed during
// a write) are removed first.
//
// On any error, including one returned by write, and on a panic in write (which propagates), the
// temporary file is removed and path is left as it was: no new file appears. Errors name path and
// wrap the cause. Only a process killed mid-write can leave a temporary file behind, until the
// next write of the same file. See also CheckOutput, which tells before long work whether a write
// could succeed.
func WriteFileAtomic(path string, write func(io.Writer) error) error {
	target, info, err := resolveOutput(path)
	if err != nil {
		return fmt.Errorf("dataset: write %s: %w", path, err)
	}
	mode := fs.FileMode(0o644)
	if info != nil {
		mode = info.Mode().Perm()
	}
	dir := filepath.Dir(target)
	removeStale(target)
	f, err := createTemp(target)
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
		func() error { return f.Chmod(mode) },
		func() error { keepOwner(f, info); return nil },
		f.Sync,
		f.Close,
		func() error { return os.Rename(tmp, target) },
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

// maxLinks bounds the symbolic links followed from an output path (as Linux's ELOOP does).
const maxLinks = 40

// resolveOutput follows path through symbolic links to the file a write would replace. It returns
// that path and its FileInfo (nil when nothing is there yet: a new file, or a link to a missing
// file, which the write creates), or an error when the target exists and is not a regular file.
func resolveOutput(path string) (string, fs.FileInfo, error) {
	for range maxLinks {
		info, err := os.Lstat(path)
		switch {
		case os.IsNotExist(err):
			return path, nil, nil
		case err != nil:
			return "", nil, err
		case info.Mode()&fs.ModeSymlink != 0:
			link, err := os.Readlink(path)
			if err != nil {
				return "", nil, err
			}
			if !filepath.IsAbs(link) {
				link = filepath.Join(filepath.Dir(path), link)
			}
			path = link
		case !info.Mode().IsRegular():
			return "", nil, fmt.Errorf("%s is %s, not a regular file: refusing to replace it", path, FileKind(info.Mode()))
		default:
			return path, info, nil
		}
	}
	return "", nil, fmt.Errorf("more than %d levels of symbolic links", maxLinks)
}

// FileKind names the type of a file that is not a regular one, for messages: "a directory", "a
// named pipe (FIFO)", "a socket", "a character device", "a device".
func FileKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "not a regular file (" + m.Type().String() + ")"
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
