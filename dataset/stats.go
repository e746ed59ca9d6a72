package dataset

import (
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// MeanStd returns the mean and the sample standard deviation (denominator N−1) of each column of
// the N×D matrix x, both of length D, computed by gonum's stat.MeanStdDev. With N = 1 every std is
// NaN; a constant column has std 0, so callers that standardize must guard against division by
// zero.
func MeanStd(x *mat.Dense) (mean, std []float64) {
	n, d := x.Dims()
	mean, std = make([]float64, d), make([]float64, d)
	col := make([]float64, n)
	for j := range d {
		mat.Col(col, j, x)
		mean[j], std[j] = stat.MeanStdDev(col, nil)
	}
	return mean, std
}
