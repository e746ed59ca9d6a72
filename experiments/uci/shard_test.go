package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// -shard I/N, or a scheduler's array index, picks task I of N; anything else is an error.
func TestParseShard(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	for _, c := range []struct {
		flag string
		env  map[string]string
		want shard
	}{
		{"", nil, shard{0, 1}},
		{"2/5", map[string]string{"SLURM_ARRAY_TASK_ID": "4"}, shard{2, 5}}, // the flag wins
		{"", map[string]string{"SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_COUNT": "8"}, shard{3, 8}},
		{"", map[string]string{"SLURM_ARRAY_TASK_ID": "0", "SLURM_ARRAY_TASK_COUNT": "2"}, shard{0, 2}},
		{"", map[string]string{"JOB_COMPLETION_INDEX": "6", "UCI_SHARDS": "7"}, shard{6, 7}},
		{"", map[string]string{"OMPI_COMM_WORLD_RANK": "1", "OMPI_COMM_WORLD_SIZE": "4"}, shard{1, 4}},
		{"", map[string]string{"PMI_RANK": "0", "PMI_SIZE": "2"}, shard{0, 2}},
	} {
		got, err := parseShard(c.flag, env(c.env))
		require.NoError(t, err, "%+v", c)
		require.Equal(t, c.want, got, "%+v", c)
	}
	for _, c := range []struct {
		flag string
		env  map[string]string
		want string
	}{
		{"3/3", nil, `-shard: "3/3" is not I/N`},
		{"1", nil, `-shard: "1"`},
		{"-1/2", nil, `-shard: "-1/2"`},
		{"", map[string]string{"SLURM_ARRAY_TASK_ID": "x"}, "SLURM_ARRAY_TASK_ID"},
		{"", map[string]string{"JOB_COMPLETION_INDEX": "0"}, `JOB_COMPLETION_INDEX/UCI_SHARDS: "0/"`},
	} {
		_, err := parseShard(c.flag, env(c.env))
		require.ErrorContains(t, err, c.want, "%+v", c)
	}
}

// N tasks run by hand cover every cell of the sweep exactly once, each writing its own score
// files; a re-run skips the cells done, and a lost file is run again.
func TestSweepShards(t *testing.T) {
	root := t.TempDir()
	toySet(t, root, "a")
	toySet(t, root, "b")
	scores := t.TempDir()
	c := config{root: root, epochs: 1, patience: 30, scores: scores}
	all := cells([]string{"a", "b"}, []string{"made", "maf5"}, []int64{1, 2, 3})
	require.Len(t, all, 12)
	ran := map[string]int{}
	for i := range 5 {
		var out, errs strings.Builder
		require.NoError(t, c.sweep(all, shard{i, 5}, &out, &errs))
		for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n")[2:] {
			f := strings.Split(line, " | ")
			cmd := f[len(f)-1]
			ran[f[0]+" "+f[1]+" "+cmd[strings.Index(cmd, "-seed"):]]++
		}
	}
	require.Len(t, ran, 12)
	for cellName, n := range ran {
		require.Equal(t, 1, n, cellName)
	}
	files, err := filepath.Glob(filepath.Join(scores, "*.csv"))
	require.NoError(t, err)
	require.Len(t, files, 12)

	require.NoError(t, os.Remove(filepath.Join(scores, "b--maf5--seed2.csv")))
	var out, errs strings.Builder
	require.NoError(t, c.sweep(all, shard{0, 1}, &out, &errs))
	rows := strings.Split(strings.TrimSpace(out.String()), "\n")[2:]
	require.Len(t, rows, 1)
	require.Contains(t, rows[0], "| b | maf5 |")
	require.Equal(t, 11, strings.Count(errs.String(), "done already"))

	out.Reset()
	require.NoError(t, seedTable(scores, []string{"made", "maf5"}, &out))
	require.NotContains(t, out.String(), "missing:")
	require.NoError(t, os.Remove(filepath.Join(scores, "a--made--seed3.csv")))
	out.Reset()
	require.NoError(t, seedTable(scores, []string{"made", "maf5"}, &out))
	require.Contains(t, out.String(), "missing: a made seed 3")
}
