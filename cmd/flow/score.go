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
	data := fs.String("data", "", "data to score (.csv or .npy, the model's width)")
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
	f, _, err := modelfile.Load(*model)
	if err != nil {
		return err
	}
	t, err := dataset.Load(*data)
	if err != nil {
		return err
	}
	if len(t.Columns) != f.Dim() {
		return fmt.Errorf("%s: %d columns, the model %s takes %d", *data, len(t.Columns), *model, f.Dim())
	}
	lp := f.LogProbs(t.X)
	x := mat.NewDense(len(lp), 1, lp)
	if *out == "" {
		return writeCSV(stdout, []string{"log_prob"}, x)
	}
	return dataset.WriteCSV(*out, []string{"log_prob"}, mat.NewDense(len(lp), 1, lp))
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
