//go:build unix

package atomicfile

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
)

// keepOwner gives f the owner and group of the file it replaces (info nil: a new file), where the
// process may (root may; others only their own groups). Failures are ignored.
func keepOwner(f *os.File, info fs.FileInfo) {
	if info == nil {
		return
	}
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		_ = f.Chown(int(st.Uid), int(st.Gid))
	}
}

// processAlive tells whether a process with this ID runs on this machine (signal 0 probes it;
// EPERM means it runs under another user).
func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
