package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// A short run prints one row per target and fit, with the truth beside the estimates, and draws
// the figure for the energies; bad flags are errors.
func TestRun(t *testing.T) {
	png := filepath.Join(t.TempDir(), "v.png")
	var out, errs strings.Builder
	require.NoError(t, run([]string{"-targets", "u1,banana", "-fits", "made-iaf,banded:1-maf", "-budget", "0.05", "-out", png}, &out, &errs))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 2+4)
	require.Contains(t, lines[2], "| u1 | made-iaf |")
	require.Contains(t, lines[2], "1.8775 (grid)")
	require.Contains(t, lines[5], "| banana | banded:1-maf |")
	require.FileExists(t, png)
	for _, bad := range [][]string{{"-fits", "made"}, {"-targets", "u7"}, {"-fits", "block:5,5-iaf", "-targets", "funnel"}} {
		require.Error(t, run(append(bad, "-out", ""), &out, &errs), "%v", bad)
	}
}
