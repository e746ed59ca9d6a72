package main

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/affineflow/flow/dataset"
	"github.com/affineflow/flow/modelfile"
	"gonum.org/v1/gonum/mat"
)

func runScore(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("score", stderr)
	model := fs.String("model", "", "model file")
	data := fs.String("data", "", "data to score (.csv or .npy, the model's width; a conditional model reads its data and context columns by name)")
	out := fs.String("out", "", "output CSV (default: standard output)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := required("model", *model); err != nil {
		return err
	}
	if err := required("data", *data); err != nil {
		return err
	}
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
		x, ctx, err := conditionalColumns(t, *data, *model, meta, f.Dim(), f.ContextDim())
		if err != nil {
			return err
		}
		lp = f.LogProbsContext(x, ctx)
	} else {
		if len(t.Columns) != f.Dim() {
			return fmt.Errorf("%s: %d columns, the model %s takes %d", *data, len(t.Columns), *model, f.Dim())
		}
		lp = f.LogProbs(t.X)
	}
	x := mat.NewDense(len(lp), 1, lp)
	if *out == "" {
		return writeCSV(stdout, []string{"log_prob"}, x)
	}
	return dataset.WriteCSV(*out, []string{"log_prob"}, mat.NewDense(len(lp), 1, lp))
}

// conditionalColumns returns the data and context columns of t for a conditional model, by the
// names stored in its meta ("columns" and "context"), whatever the order of t's columns.
func conditionalColumns(t *dataset.Table, path, model string, meta modelfile.Meta, d, c int) (x, ctx *mat.Dense, err error) {
	cols, ok1 := meta.Strings("columns")
	ctxCols, ok2 := meta.Strings("context")
	if !ok1 || !ok2 || len(cols) != d || len(ctxCols) != c {
		return nil, nil, fmt.Errorf("%s: the model is conditional on %d inputs but its meta does not name its %d data and %d context columns (\"columns\", \"context\")", model, c, d, c)
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

// writeCSV writes a header and full-precision rows to w (standard output).
func writeCSV(w io.Writer, cols []string, x *mat.Dense) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, strings.Join(cols, ","))
	r, _ := x.Dims()
	var buf []byte
	for i := 0; i < r; i++ {
		buf = buf[:0]
		for j, v := range x.RawRowView(i) {
			if j > 0 {
				buf = append(buf, ',')
			}
			buf = strconv.AppendFloat(buf, v, 'g', -1, 64)
		}
		buf = append(buf, '\n')
		bw.Write(buf)
	}
	return bw.Flush()
}
