package main

import (
	"cmp"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// cell is one task of a sweep: a model fitted to a data set with one seed (with -folds, all the
// folds of it).
type cell struct {
	set, model string
	seed       int64
}

// cells lists the sweep's tasks in a fixed order: data set, then model, then seed.
func cells(sets, models []string, seeds []int64) []cell {
	var out []cell
	for _, s := range sets {
		for _, m := range models {
			for _, seed := range seeds {
				out = append(out, cell{s, m, seed})
			}
		}
	}
	return out
}

// shard is task I of N of a sweep run as N independent jobs (a scheduler's job array): it takes
// the cells k with k mod N = I, so that every cell is run by exactly one task and the large data
// sets spread over the tasks.
type shard struct{ I, N int }

func (s shard) takes(k int) bool { return k%s.N == s.I }

// parseShard reads -shard "I/N" (0 ≤ I < N); without it, the index and count of a Slurm job array
// (SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN of SLURM_ARRAY_TASK_COUNT), of a Kubernetes
// Indexed Job (JOB_COMPLETION_INDEX, with the count in UCI_SHARDS, which the Job's spec sets to its
// completions), or the rank and size of an MPI job (a task farm under `mpirun -np N`: Open MPI's
// OMPI_COMM_WORLD_RANK/SIZE, MPICH's PMI_RANK/SIZE; no MPI call is needed); with none, the whole
// sweep (0/1).
func parseShard(flag string, env func(string) string) (shard, error) {
	text, from := flag, "-shard"
	switch {
	case text != "":
	case env("SLURM_ARRAY_TASK_ID") != "":
		id, err1 := strconv.Atoi(env("SLURM_ARRAY_TASK_ID"))
		lo, err2 := strconv.Atoi(cmp.Or(env("SLURM_ARRAY_TASK_MIN"), "0"))
		if err1 != nil || err2 != nil {
			return shard{}, fmt.Errorf("SLURM_ARRAY_TASK_ID %q, SLURM_ARRAY_TASK_MIN %q: want integers", env("SLURM_ARRAY_TASK_ID"), env("SLURM_ARRAY_TASK_MIN"))
		}
		text, from = fmt.Sprintf("%d/%s", id-lo, env("SLURM_ARRAY_TASK_COUNT")), "SLURM_ARRAY_TASK_*"
	case env("JOB_COMPLETION_INDEX") != "":
		text, from = env("JOB_COMPLETION_INDEX")+"/"+env("UCI_SHARDS"), "JOB_COMPLETION_INDEX/UCI_SHARDS"
	case env("OMPI_COMM_WORLD_RANK") != "":
		text, from = env("OMPI_COMM_WORLD_RANK")+"/"+env("OMPI_COMM_WORLD_SIZE"), "OMPI_COMM_WORLD_RANK/SIZE"
	case env("PMI_RANK") != "":
		text, from = env("PMI_RANK")+"/"+env("PMI_SIZE"), "PMI_RANK/PMI_SIZE"
	default:
		return shard{0, 1}, nil
	}
	a, b, ok := strings.Cut(text, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return shard{}, fmt.Errorf("%s: %q is not I/N with 0 ≤ I < N", from, text)
	}
	return shard{i, n}, nil
}

// done tells whether a cell's score file is already in dir (a re-run of a task skips it).
func (c config) done(x cell) bool {
	if c.scores == "" {
		return false
	}
	set := x.set
	if c.folds > 0 {
		set = fmt.Sprintf("%s.cv%d", x.set, c.folds)
	}
	_, err := os.Stat(filepath.Join(c.scores, runName(set, x.model, x.seed)+".csv"))
	return err == nil
}

// parseSeeds reads -seed: one seed or a comma-separated list.
func parseSeeds(text string) ([]int64, error) {
	var out []int64
	for _, f := range strings.Split(text, ",") {
		v, err := strconv.ParseInt(strings.TrimSpace(f), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("-seed %q: want a seed or a comma-separated list of seeds", text)
		}
		out = append(out, v)
	}
	return out, nil
}

// sweep runs this shard's cells and prints their table rows; a cell already done (its score file
// in -scores) is skipped with a note on stderr. Each data set is read once, when its first cell
// runs.
func (c config) sweep(all []cell, sh shard, stdout, stderr io.Writer) error {
	fmt.Fprintln(stdout, "| data set | model | test log-likelihood (nats) | parameters | training time | epochs (best/run) | command |")
	fmt.Fprintln(stdout, "|---|---|---:|---:|---:|---:|---|")
	var loaded string
	var split splits
	for k, x := range all {
		if !sh.takes(k) {
			continue
		}
		if c.done(x) {
			fmt.Fprintf(stderr, "uci: %s %s seed %d: done already (its score file is in %s), skipped\n", x.set, x.model, x.seed, c.scores)
			continue
		}
		if loaded != x.set {
			var err error
			if split, err = load(c.root, x.set, c.maxTrain); err != nil {
				return err
			}
			loaded = x.set
		}
		c.seed = x.seed
		run := c.run
		if c.folds > 0 {
			run = c.crossValidate
		}
		row, err := run(x.set, split, x.model)
		if err != nil {
			return fmt.Errorf("%s %s: %w", x.set, x.model, err)
		}
		fmt.Fprintln(stdout, row)
	}
	return nil
}
