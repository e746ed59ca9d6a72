package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Every command's -h prints its usage line, examples and flags on standard output and exits 0;
// `flow version` names the module and the Go version.
func TestUsageAndVersion(t *testing.T) {
	for _, c := range commands {
		t.Run(c.name, func(t *testing.T) {
			stdout := captureStdout(t, func() {
				code, _, errs := flow(c.name, "-h")
				require.Equal(t, 0, code, errs)
			})
			require.Contains(t, stdout, "usage: flow "+c.name)
			require.Contains(t, stdout, "examples:\n  flow "+c.name)
			require.Contains(t, stdout, "flags:")
		})
	}
	code, out, errs := flow("version")
	require.Equal(t, 0, code, errs)
	require.True(t, strings.HasPrefix(out, "flow github.com/affineflow/flow"), out)
	require.Contains(t, out, " go1.")
}

// captureStdout returns what f writes to os.Stdout (the -h text goes there).
func captureStdout(t *testing.T, f func()) string {
	t.Helper()
	r, w, err := os.Pipe()
	require.NoError(t, err)
	old := os.Stdout
	os.Stdout = w
	defer func() { os.Stdout = old }()
	done := make(chan string)
	go func() {
		var b bytes.Buffer
		_, _ = b.ReadFrom(r)
		done <- b.String()
	}()
	f()
	require.NoError(t, w.Close())
	return <-done
}
