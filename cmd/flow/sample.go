package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand"
	"slices"
	"time"

	"github.com/affineflow/flow/dataset"
	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/modelfile"
	"gonum.org/v1/gonum/mat"
)

// maxSamples bounds the rows one `flow sample` writes (-n, or context rows × -n): a billion rows
// of even two columns is some 40 GB of CSV. Memory does not grow with it: rows are drawn and
// written in blocks of sampleBlock.
const maxSamples = 1_000_000_000

// sampleBlock is the number of rows drawn and written at once for width d: at most 4096 rows
// and about 2^20 values.
func sampleBlock(d int) int { return max(1, min(4096, (1<<20)/max(d, 1))) }

func runSample(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("sample", stderr)
	model := fs.String("model", "", "model file")
	n := fs.Int("n", 1000, fmt.Sprintf("number of samples, at most %d (with -context: per context row, default 1)", maxSamples))
	seed := fs.Int64("seed", 1, "random seed")
	out := fs.String("out", "", "output CSV (default: standard output)")
	ctxFile := fs.String("context", "", "for a conditional model: CSV/.npy of context rows (the model's context columns, by name)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := required("model", *model); err != nil {
		return err
	}
	if *n < 1 || *n > maxSamples {
		return usagef("-n %d: want 1 to %d", *n, maxSamples)
	}
	if *out != "" {
		if err := checkOutput("out", *out, *model, *ctxFile); err != nil {
			return err
		}
	}
	start := time.Now()
	f, meta, err := modelfile.Load(*model)
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewSource(*seed))
	cols := columnNames(meta, f.Dim())
	total, draw := *n, func(r0, r1 int) *mat.Dense { return f.Sample(r1-r0, rng) }
	switch {
	case f.ContextDim() > 0 && *ctxFile == "":
		return usagef("the model %s is conditional on %d context inputs: give -context F", *model, f.ContextDim())
	case f.ContextDim() == 0 && *ctxFile != "":
		return usagef("-context: the model %s is not conditional", *model)
	case *ctxFile != "":
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
		t, err := dataset.Load(*ctxFile)
		if err != nil {
			return err
		}
		ct, err := t.Select(ctxCols)
		if err != nil {
			return fmt.Errorf("%s: the model's context columns: %w", *ctxFile, err)
		}
		rows, c := ct.X.Dims()
		if per > maxSamples/rows {
			return usagef("-n %d per context row × %d rows of %s: more than %d samples", per, rows, *ctxFile, maxSamples)
		}
		// each context row repeated per times, in order; the output carries the context columns
		total = rows * per
		draw = func(r0, r1 int) *mat.Dense {
			cb := mat.NewDense(r1-r0, c, nil)
			for r := r0; r < r1; r++ {
				cb.SetRow(r-r0, ct.X.RawRowView(r/per))
			}
			return distributions.Concat(f.SampleContext(cb, rng), cb)
		}
		cols = append(append([]string(nil), cols...), ctxCols...)
	}
	if names, ok := meta.Strings("discrete"); ok { // dequantized in training: round down
		var idx []int
		for _, name := range names {
			if j := slices.Index(cols[:f.Dim()], name); j >= 0 {
				idx = append(idx, j)
			}
		}
		continuous := draw
		draw = func(r0, r1 int) *mat.Dense {
			x := continuous(r0, r1)
			for r := range r1 - r0 {
				for _, j := range idx {
					x.Set(r, j, math.Floor(x.At(r, j)))
				}
			}
			return x
		}
	}
	var stopped error
	written := 0
	err = writeCSVOutput(*out, stdout, cols, func(cw *dataset.CSVWriter) error {
		block := sampleBlock(f.Dim())
		for r0 := 0; r0 < total; r0 += block {
			if ctx.Err() != nil {
				stopped, written = context.Cause(ctx), cw.Rows()
				return nil // keep what is written: samples so far are samples
			}
			if err := cw.Write(draw(r0, min(r0+block, total))); err != nil {
				return fmt.Errorf("the model's samples: %w", err)
			}
		}
		return nil
	})
	if stopped != nil && err == nil {
		where := "to standard output"
		if *out != "" {
			where = "to " + *out
		}
		return fmt.Errorf("%w after %d of %d samples; wrote them %s", stopped, written, total, where)
	}
	if err == nil {
		fmt.Fprintf(stderr, "drew %d samples of %d columns from %s; wrote %s (%.1fs)\n", total, len(cols), *model, outName(*out), time.Since(start).Seconds())
	}
	return err
}
