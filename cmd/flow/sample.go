package main

import (
	"flag"
	"fmt"
	"io"
	"math/rand"

	"github.com/affineflow/flow/dataset"
	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/modelfile"
	"gonum.org/v1/gonum/mat"
)

func runSample(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("sample", stderr)
	model := fs.String("model", "", "model file")
	n := fs.Int("n", 1000, "number of samples (with -context: per context row, default 1)")
	seed := fs.Int64("seed", 1, "random seed")
	out := fs.String("out", "", "output CSV (default: standard output)")
	context := fs.String("context", "", "for a conditional model: CSV/.npy of context rows (the model's context columns, by name)")
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
	rng := rand.New(rand.NewSource(*seed))
	cols := columnNames(meta, f.Dim())
	var x *mat.Dense
	switch {
	case f.ContextDim() > 0 && *context == "":
		return usagef("the model %s is conditional on %d context inputs: give -context F", *model, f.ContextDim())
	case f.ContextDim() == 0 && *context != "":
		return usagef("-context: the model %s is not conditional", *model)
	case *context != "":
		nSet := false
		fs.Visit(func(fl *flag.Flag) { nSet = nSet || fl.Name == "n" })
		per := 1
		if nSet {
			per = *n
		}
		ctxCols, ok := meta.Strings("context")
		if !ok || len(ctxCols) != f.ContextDim() {
			return fmt.Errorf("%s: the model's meta does not name its %d context columns (\"context\")", *model, f.ContextDim())
		}
		t, err := dataset.Load(*context)
		if err != nil {
			return err
		}
		ct, err := t.Select(ctxCols)
		if err != nil {
			return fmt.Errorf("%s: the model's context columns: %w", *context, err)
		}
		// each context row repeated per times, in order; the output carries the context columns
		rows, c := ct.X.Dims()
		ctx := mat.NewDense(rows*per, c, nil)
		for r := 0; r < rows*per; r++ {
			ctx.SetRow(r, ct.X.RawRowView(r/per))
		}
		x = distributions.Concat(f.SampleContext(ctx, rng), ctx)
		cols = append(append([]string(nil), cols...), ctxCols...)
	default:
		x = f.Sample(*n, rng)
	}
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
