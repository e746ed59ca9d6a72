package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// CheckOutput tells, before any long work, whether WriteFileAtomic could write path: its
// directory exists and a file can be created in it, the target (path, or the file a symbolic link
// at path points to) is a regular file or does not exist yet, and it is not the same file as any
// of inputs (os.SameFile: a hard link or a symbolic link to an input counts; inputs that do not
// exist are skipped). Errors name path and what is wrong with it. Creating the probe file is the
// only effect; it is removed at once.
func CheckOutput(path string, inputs ...string) error {
	if path == "" {
		return errors.New("dataset: output: empty file name")
	}
	fail := func(format string, a ...any) error {
		return fmt.Errorf("dataset: output %s: %s", path, fmt.Sprintf(format, a...))
	}
	target, info, err := resolveOutput(path)
	if err != nil {
		return fail("%v", err)
	}
	if info != nil {
		for _, in := range inputs {
			if st, err := os.Stat(in); err == nil && os.SameFile(info, st) {
				return fail("is the same file as the input %s: refusing to overwrite an input", in)
			}
		}
	}
	dir := filepath.Dir(target)
	switch st, err := os.Stat(dir); {
	case os.IsNotExist(err):
		return fail("the directory %s does not exist", dir)
	case err != nil:
		return fail("%v", err)
	case !st.IsDir():
		return fail("%s is not a directory", dir)
	}
	f, err := createTemp(target)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return fail("cannot create a file in %s: %v", dir, err)
	}
	_ = f.Close()
	_ = os.Remove(f.Name())
	return nil
}

// tempPrefix is the start of the name of target's temporary files: ".<base>.tmp-".
func tempPrefix(target string) string { return "." + filepath.Base(target) + ".tmp-" }

// createTemp creates target's temporary file ".<base>.tmp-<pid>-<random>" next to it (mode 0600
// until the write sets the final mode). The process ID tells removeStale whether its writer is
// still running.
func createTemp(target string) (*os.File, error) {
	return os.CreateTemp(filepath.Dir(target), tempPrefix(target)+strconv.Itoa(os.Getpid())+"-*")
}

// legacyAge is how old a temporary file without a process ID (written by an earlier version,
// ".<base>.tmp<random>") must be before removeStale takes it for stale.
const legacyAge = time.Hour

// removeStale removes the temporary files of target that a process killed during a write left
// behind: those whose writer (the process ID in the name) no longer runs on this machine, and
// unnamed ones older than legacyAge. Errors are ignored: a leftover file is harmless.
func removeStale(target string) {
	dir := filepath.Dir(target)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	legacy := "." + filepath.Base(target) + ".tmp"
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || !strings.HasPrefix(name, legacy) {
			continue
		}
		stale := false
		if rest, ok := strings.CutPrefix(name, tempPrefix(target)); ok {
			pidText, _, _ := strings.Cut(rest, "-")
			pid, err := strconv.Atoi(pidText)
			stale = err == nil && pid != os.Getpid() && !processAlive(pid)
		} else if _, err := strconv.ParseUint(name[len(legacy):], 10, 64); err == nil {
			info, err := e.Info()
			stale = err == nil && time.Since(info.ModTime()) > legacyAge
		}
		if stale {
			_ = os.Remove(filepath.Join(dir, name))
		}
	}
}
