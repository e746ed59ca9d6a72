package layers

import (
	"github.com/affineflow/flow/graph"
	"github.com/affineflow/flow/internal/vmath"
	"gonum.org/v1/gonum/blas/blas64"
)

// The affine map's numeric paths over many values at once: the soft clamp s = C·tanh(raw/C) and
// exp(±s) run on package vmath's kernels (four values at a time, the bits of math.Tanh and
// math.Exp), so the results are those of the scalar elementwise.forward and inverse.

// scales sets s[r·m+j] = C·tanh(raw[r, j]/C) for the first m columns of every row of raw, and
// e to exp(s), or exp(−s) when neg: the log-scales of an affine map and their exponentials.
func scales(raw blas64.General, m int, c float64, neg bool, s, e []float64) {
	for r := 0; r < raw.Rows; r++ {
		for j, v := range raw.Data[r*raw.Stride : r*raw.Stride+m] { // m may be small: no copy call
			s[r*m+j] = v
		}
	}
	graph.SoftClampValues(s, c)
	if !neg {
		vmath.Exp(e, s)
		return
	}
	for i, v := range s {
		e[i] = -v
	}
	vmath.Exp(e, e)
}

// inverseAffine solves the dimensions g of every row, x_i = (y_i − t_i)·exp(−s_i) with
// s_i = C·tanh(raw_i/C), from st (n × 2|g|: the raw s of g's dimensions, then their t), and adds
// s_i to logdet; sv is scratch of at least 2·n·|g| values.
func inverseAffine(st blas64.General, g []int, y, x blas64.General, logdet []float64, c float64, sv []float64) {
	n, m := st.Rows, len(g)
	s, e := sv[:n*m], sv[n*m:2*n*m]
	scales(st, m, c, true, s, e)
	for r := 0; r < n; r++ {
		t := st.Data[r*st.Stride+m : r*st.Stride+2*m]
		xrow, yrow := x.Data[r*x.Stride:], y.Data[r*y.Stride:]
		for j, i := range g {
			xrow[i] = (yrow[i] - t[j]) * e[r*m+j]
			logdet[r] += s[r*m+j]
		}
	}
}
