package readme_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const marker = "<!-- snippet: "

// Every ```go block of README.md is preceded by a line "<!-- snippet: PATH -->" (PATH relative to
// the repository root) and appears in that file line for line, leading indentation aside: the
// README shows compiled and tested code only.
func TestSnippets(t *testing.T) {
	root := filepath.Join("..", "..")
	data, err := os.ReadFile(filepath.Join(root, "README.md"))
	require.NoError(t, err)
	lines := strings.Split(string(data), "\n")
	blocks := 0
	for i := 0; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) != "```go" {
			continue
		}
		blocks++
		require.Greater(t, i, 0)
		prev := strings.TrimSpace(lines[i-1])
		require.Truef(t, strings.HasPrefix(prev, marker) && strings.HasSuffix(prev, "-->"),
			"README.md line %d: a go block without a %sPATH --> line before it", i+1, marker)
		path := strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(prev, marker), "-->"))
		end := i + 1
		for end < len(lines) && strings.TrimSpace(lines[end]) != "```" {
			end++
		}
		require.Lessf(t, end, len(lines), "README.md line %d: the go block is not closed", i+1)
		src, err := os.ReadFile(filepath.Join(root, path))
		require.NoErrorf(t, err, "README.md line %d", i)
		require.Truef(t, contains(trimmed(strings.Split(string(src), "\n")), trimmed(lines[i+1:end])),
			"README.md lines %d-%d are not in %s as written", i+2, end, path)
		i = end
	}
	require.Greater(t, blocks, 3, "the README shows Go code")
}

// The check fails for a block that is not in its file.
func TestSnippetsCanFail(t *testing.T) {
	file := trimmed([]string{"\tfunc f() {", "\t\treturn 1", "\t}"})
	require.True(t, contains(file, trimmed([]string{"return 1", "}"})))
	require.False(t, contains(file, trimmed([]string{"return 2"})))
	require.False(t, contains(file, trimmed([]string{"}", "return 1"})))
}

func trimmed(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = strings.TrimSpace(l)
	}
	return out
}

// contains reports whether block occurs in file as consecutive lines.
func contains(file, block []string) bool {
	for s := 0; s+len(block) <= len(file); s++ {
		match := true
		for k := range block {
			if file[s+k] != block[k] {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}
