//go:build unix

package atomicfile

import (
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

// TestWriteFileAtomicRefusesNonRegular: a FIFO, a directory, a socket and a device node are
// refused and stay what they were (a rename used to replace them with a regular file).
func TestWriteFileAtomicRefusesNonRegular(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	sub := filepath.Join(dir, "sub")
	require.NoError(t, os.Mkdir(sub, 0o755))
	sock := filepath.Join(dir, "sock")
	l, err := net.Listen("unix", sock)
	require.NoError(t, err)
	defer l.Close()
	cases := map[string]string{fifo: "named pipe", sub: "directory", sock: "socket"}
	if _, err := os.Stat("/dev/null"); err == nil {
		cases["/dev/null"] = "character device"
	}
	for path, kind := range cases {
		before, err := os.Lstat(path)
		require.NoError(t, err)
		err = WriteFileAtomic(path, writeString("x"))
		require.ErrorContains(t, err, kind, path)
		require.ErrorContains(t, CheckOutput(path), kind, path)
		after, err := os.Lstat(path)
		require.NoError(t, err)
		require.Equal(t, before.Mode(), after.Mode(), "%s was replaced", path)
	}
	require.ElementsMatch(t, []string{"fifo", "sub", "sock"}, names(t, dir), "no temporary file is left")
}

// TestWriteFileAtomicSymlink: a symbolic link is followed: its target gets the content, the link
// stays a link; a link to a missing file creates that file.
func TestWriteFileAtomicSymlink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "real.json")
	require.NoError(t, os.WriteFile(target, []byte("old"), 0o644))
	link := filepath.Join(dir, "link.json")
	require.NoError(t, os.Symlink("real.json", link)) // relative, resolved from the link's directory
	require.NoError(t, WriteFileAtomic(link, writeString("new")))
	got, err := os.ReadFile(target)
	require.NoError(t, err)
	require.Equal(t, "new", string(got))
	info, err := os.Lstat(link)
	require.NoError(t, err)
	require.NotZero(t, info.Mode()&os.ModeSymlink, "the link was replaced by a file")

	dangling := filepath.Join(dir, "dangling.json")
	require.NoError(t, os.Symlink(filepath.Join(dir, "missing.json"), dangling))
	require.NoError(t, WriteFileAtomic(dangling, writeString("created")))
	got, err = os.ReadFile(filepath.Join(dir, "missing.json"))
	require.NoError(t, err)
	require.Equal(t, "created", string(got))

	loop := filepath.Join(dir, "loop")
	require.NoError(t, os.Symlink("loop", loop))
	require.ErrorContains(t, WriteFileAtomic(loop, writeString("x")), "levels of symbolic links")
}

// TestWriteFileAtomicKeepsMode: a replaced file keeps its permission bits (a 0600 model file used
// to become 0644).
func TestWriteFileAtomicKeepsMode(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "secret.json")
	require.NoError(t, os.WriteFile(p, []byte("old"), 0o600))
	require.NoError(t, os.Chmod(p, 0o600)) // whatever the umask
	require.NoError(t, WriteFileAtomic(p, writeString("new")))
	info, err := os.Stat(p)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), info.Mode().Perm())
}

// TestWriteFileAtomicRemovesStale: temporary files of the same output whose writer no longer runs
// (killed during a write) are removed at the next write; a running writer's file, other outputs'
// files and recent unnamed ones stay.
func TestWriteFileAtomicRemovesStale(t *testing.T) {
	dir := t.TempDir()
	touch := func(name string, age time.Duration) {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, nil, 0o600))
		old := time.Now().Add(-age)
		require.NoError(t, os.Chtimes(p, old, old))
	}
	dead := ".m.json.tmp-999999999-123"                           // beyond Linux's largest process ID
	alive := ".m.json.tmp-" + strconv.Itoa(os.Getppid()) + "-456" // our parent runs
	other := ".n.json.tmp-999999999-789"                          // another output's
	legacyOld, legacyNew := ".m.json.tmp111", ".m.json.tmp222"    // before process IDs were in the names
	touch(dead, 0)
	touch(alive, 0)
	touch(other, 0)
	touch(legacyOld, 2*time.Hour)
	touch(legacyNew, time.Minute)
	require.NoError(t, WriteFileAtomic(filepath.Join(dir, "m.json"), writeString("x")))
	require.ElementsMatch(t, []string{"m.json", alive, other, legacyNew}, names(t, dir))
}

// TestCheckOutput: the problems a write would meet, found before any work: a missing directory, a
// directory as the output, an output that is an input (by name, hard link or symbolic link).
func TestCheckOutput(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "train.csv")
	require.NoError(t, os.WriteFile(in, []byte("a\n1\n"), 0o644))
	hard := filepath.Join(dir, "hard.csv")
	require.NoError(t, os.Link(in, hard))
	soft := filepath.Join(dir, "soft.csv")
	require.NoError(t, os.Symlink(in, soft))

	require.NoError(t, CheckOutput(filepath.Join(dir, "new.json"), in))
	require.NoError(t, CheckOutput(filepath.Join(dir, "new.json"), in, filepath.Join(dir, "missing-input.csv")))
	for _, out := range []string{in, hard, soft, dir + "/./train.csv"} {
		err := CheckOutput(out, "/nonexistent", in)
		require.ErrorContains(t, err, "is the same file as the input "+in, out)
	}
	require.ErrorContains(t, CheckOutput(filepath.Join(dir, "no/such/dir/m.json")), "does not exist")
	require.ErrorContains(t, CheckOutput(dir), "is a directory")
	require.ErrorContains(t, CheckOutput(filepath.Join(in, "m.json")), "not a directory")
	require.ErrorContains(t, CheckOutput(""), "empty file name")
	require.ElementsMatch(t, []string{"train.csv", "hard.csv", "soft.csv"}, names(t, dir), "the probe file is gone")

	if os.Geteuid() != 0 { // root may write in a read-only directory
		ro := filepath.Join(dir, "ro")
		require.NoError(t, os.Mkdir(ro, 0o555))
		require.ErrorContains(t, CheckOutput(filepath.Join(ro, "m.json")), "cannot create a file in")
	}
}
