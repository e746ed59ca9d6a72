package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/affineflow/flow/dataset"
	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/modelfile"
	"gonum.org/v1/gonum/mat"
)

func runScore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("score", stderr)
	model := fs.String("model", "", "model file")
	data := fs.String("data", "", "data to score (.csv or .npy): the model's columns, by name (a conditional model: its data and context columns)")
	out := fs.String("out", "", "output CSV (default: standard output)")
	byPosition := fs.Bool("ignore-header", false, "take the data's columns by position, not by name (a conditional model: the data columns, then the context)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := required("model", *model); err != nil {
		return err
	}
	if err := required("data", *data); err != nil {
		return err
	}
	if *out != "" {
		if err := checkOutput("out", *out, *model, *data); err != nil {
			return err
		}
	}
	start := time.Now()
	f, meta, err := modelfile.Load(*model)
	if err != nil {
		return err
	}
	t, err := dataset.Load(*data)
	if err != nil {
		return err
	}
	var lp []float64
	if f.ContextDim() > 0 {
		x, ctx, err := conditionalColumns(t, *data, *model, meta, f.Dim(), f.ContextDim(), *byPosition)
		if err != nil {
			return err
		}
		lp = f.LogProbsContext(x, ctx)
	} else {
		t, err := matchColumns(t, *data, columnNames(meta, f.Dim()), "the model "+*model, *byPosition)
		if err != nil {
			return err
		}
		lp = f.LogProbs(t.X)
	}
	for i, v := range lp {
		if !finiteNumber(v) {
			return fmt.Errorf("%s: row %d: log p(x) is %g under the model %s (the row lies where its density underflows, or the model is broken); nothing written", *data, i+1, v, *model)
		}
	}
	if ctx.Err() != nil {
		return fmt.Errorf("%w; nothing written", context.Cause(ctx))
	}
	err = writeCSVOutput(*out, stdout, []string{"log_prob"}, func(cw *dataset.CSVWriter) error {
		return cw.Write(mat.NewDense(len(lp), 1, lp))
	})
	if err == nil {
		fmt.Fprintf(stderr, "scored %d rows of %s under %s (D = %d): mean log p = %.6f nats, NLL %.6f; wrote %s (%.1fs)\n",
			len(lp), *data, *model, f.Dim(), -distributions.MeanNLL(lp), distributions.MeanNLL(lp), outName(*out), time.Since(start).Seconds())
	}
	return err
}

// outName names an output for a summary line: the file, or standard output.
func outName(path string) string {
	if path == "" {
		return "standard output"
	}
	return path
}

// conditionalColumns returns the data and context columns of t for a conditional model, by the
// names stored in its meta ("columns" and "context"), whatever the order of t's columns; with
// byPosition, the first d columns and then the next c.
func conditionalColumns(t *dataset.Table, path, model string, meta modelfile.Meta, d, c int, byPosition bool) (x, ctx *mat.Dense, err error) {
	if byPosition {
		r, w := t.X.Dims()
		if w != d+c {
			return nil, nil, fmt.Errorf("%s: %d columns, but the model %s takes %d data and %d context columns", path, w, model, d, c)
		}
		return mat.DenseCopyOf(t.X.Slice(0, r, 0, d)), mat.DenseCopyOf(t.X.Slice(0, r, d, d+c)), nil
	}
	cols, ok1 := meta.Strings("columns")
	ctxCols, ok2 := meta.Strings("context")
	if !ok1 || !ok2 || len(cols) != d || len(ctxCols) != c {
		return nil, nil, fmt.Errorf("%s: the model is conditional on %d inputs but its meta does not name its %d data and %d context columns (\"columns\", \"context\"): give -ignore-header to take them by position", model, c, d, c)
	}
	xt, err := t.Select(cols)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: the model's data columns: %w", path, err)
	}
	ct, err := t.Select(ctxCols)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: the model's context columns: %w", path, err)
	}
	return xt.X, ct.X, nil
}
