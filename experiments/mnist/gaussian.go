package main

import (
	"errors"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// gaussianLogProbs fits a full-covariance Gaussian to the rows of train (the sample mean and the
// sample covariance, as MAF's pdfs.fit_gaussian) and returns log N(z; μ, Σ) for every row of test.
// It is the "Gaussian" row of MAF's Table 2: a check of the preprocessing that needs no training.
func gaussianLogProbs(train, test *mat.Dense) ([]float64, error) {
	n, d := train.Dims()
	if n < 2 {
		return nil, errors.New("a Gaussian needs at least 2 training rows")
	}
	var cov mat.SymDense
	stat.CovarianceMatrix(&cov, train, nil)
	mean := make([]float64, d)
	for j := range mean {
		mean[j] = stat.Mean(mat.Col(nil, j, train), nil)
	}
	var chol mat.Cholesky
	if !chol.Factorize(&cov) {
		return nil, errors.New("the training covariance is not positive definite")
	}
	// Σ = UᵀU; the whitened rows y = (z − μ)·U⁻¹ have log p = −½|y|² − log|det U| − (D/2) log 2π.
	var u, uinv mat.TriDense
	chol.UTo(&u)
	if err := uinv.InverseTri(&u); err != nil {
		return nil, err
	}
	nt, _ := test.Dims()
	r := mat.NewDense(nt, d, nil)
	for i := range nt {
		row := r.RawRowView(i)
		for j, v := range test.RawRowView(i) {
			row[j] = v - mean[j]
		}
	}
	var y mat.Dense
	y.Mul(r, &uinv)
	c := -0.5*chol.LogDet() - 0.5*float64(d)*math.Log(2*math.Pi)
	out := make([]float64, nt)
	for i := range out {
		s := 0.0
		for _, v := range y.RawRowView(i) {
			s += v * v
		}
		out[i] = c - 0.5*s
	}
	return out, nil
}
