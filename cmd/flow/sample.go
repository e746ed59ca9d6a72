package main

import (
	"fmt"
	"io"
	"math/rand"

	"github.com/affineflow/flow/dataset"
	"github.com/affineflow/flow/modelfile"
)

func runSample(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("sample", stderr)
	model := fs.String("model", "", "model file")
	n := fs.Int("n", 1000, "number of samples")
	seed := fs.Int64("seed", 1, "random seed")
	out := fs.String("out", "", "output CSV (default: standard output)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := required("model", *model); err != nil {
		return err
	}
	if *n < 1 {
		return usagef("-n %d: want >= 1", *n)
	}
	f, meta, err := modelfile.Load(*model)
	if err != nil {
		return err
	}
	x := f.Sample(*n, rand.New(rand.NewSource(*seed)))
	cols := columnNames(meta, f.Dim())
	if *out == "" {
		return writeCSV(stdout, cols, x)
	}
	return dataset.WriteCSV(*out, cols, x)
}

// columnNames returns the training columns stored in the model's meta, or x0..x{d-1}.
func columnNames(meta modelfile.Meta, d int) []string {
	if cols, ok := meta.Strings("columns"); ok && len(cols) == d {
		return cols
	}
	cols := make([]string, d)
	for j := range cols {
		cols[j] = fmt.Sprintf("x%d", j)
	}
	return cols
}
