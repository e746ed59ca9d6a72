package main

import (
	"math"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// fdLogDeriv is log of the central finite difference of the logit map at x, with a step relative
// to the distance of q from 0 and 1 (the map is smooth for q in (0,1), also just outside [0,1]).
func fdLogDeriv(x float64) float64 {
	q := lambda + (1-2*lambda)*x
	h := 1e-4 * min(q, 1-q)
	z := func(v float64) float64 { return logitMap(mat.NewDense(1, 1, []float64{v})).At(0, 0) }
	return math.Log((z(x+h) - z(x-h)) / (2 * h))
}

// The preprocessing's log-det against a finite difference of the logit map, value by value and
// summed over a row: the term that turns log p(z) into log p(x).
func TestLogDetFiniteDifference(t *testing.T) {
	vals := []float64{0, 0.5 / 256, 1e-3, 0.1, 0.5, 0.77, 0.999, 255.999 / 256}
	want := 0.0
	for _, x := range vals {
		fd := fdLogDeriv(x)
		got := logDet(mat.NewDense(1, 1, []float64{x}))[0]
		require.InDelta(t, fd, got, 1e-6*math.Max(1, math.Abs(fd)), "x = %g", x)
		want += fd
	}
	// The analytic values at the two ends of [0,1]: log((1−2λ)/(λ(1−λ))) ≈ 13.8155.
	require.InDelta(t, math.Log((1-2*lambda)/(lambda*(1-lambda))), logDet(mat.NewDense(1, 1, []float64{0}))[0], 1e-12)
	require.InDelta(t, math.Log((1-2*lambda)/(lambda*(1-lambda))), logDet(mat.NewDense(1, 1, []float64{1}))[0], 1e-9)

	// A row holds the sum over its pixels; rows are independent.
	x := mat.NewDense(2, len(vals), nil)
	x.SetRow(0, vals)
	x.SetRow(1, []float64{0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5})
	ld := logDet(x)
	require.InDelta(t, want, ld[0], 1e-6*math.Abs(want))
	require.InDelta(t, 8*math.Log((1-2*lambda)/0.25), ld[1], 1e-9)
}

// The sign and size of the log-det, globally: a standard normal density on z, carried to x by the
// change of variables, integrates over [0,1] to the normal mass of [logit λ, logit(1−λ)] ≈ 1.
func TestLogDetDensityIntegratesToOne(t *testing.T) {
	const n = 200000 // composite Simpson on [0,1]
	norm := distuv.UnitNormal
	f := func(x float64) float64 {
		xs := mat.NewDense(1, 1, []float64{x})
		return math.Exp(norm.LogProb(logitMap(xs).At(0, 0)) + logDet(xs)[0])
	}
	h := 1.0 / n
	sum := f(0) + f(1)
	for k := 1; k < n; k++ {
		w := 2.0
		if k%2 == 1 {
			w = 4
		}
		sum += w * f(float64(k)*h)
	}
	zmax := math.Log((1 - lambda) / lambda)
	require.InDelta(t, norm.CDF(zmax)-norm.CDF(-zmax), sum*h/3, 1e-7)
}

func TestPreprocess(t *testing.T) {
	pix := mat.NewDense(3, 4, []float64{0, 255, 17, 128, 0, 0, 0, 0, 255, 255, 255, 255})
	s := preprocess(pix, rand.New(rand.NewSource(3)))
	for i := range 3 {
		for j := range 4 {
			x, p := s.X.At(i, j), pix.At(i, j)
			// dequantization: x ∈ [p/256, (p+1)/256)
			require.True(t, x >= p/256 && x < (p+1)/256, "x=%g for p=%g", x, p)
			q := lambda + (1-2*lambda)*x
			require.InDelta(t, math.Log(q/(1-q)), s.Z.At(i, j), 1e-12)
		}
	}
	// seeded: the same seed gives the same noise, another seed other noise
	again := preprocess(pix, rand.New(rand.NewSource(3)))
	require.True(t, mat.Equal(s.X, again.X))
	other := preprocess(pix, rand.New(rand.NewSource(4)))
	require.False(t, floats.Equal(s.X.RawMatrix().Data, other.X.RawMatrix().Data))
}

// The Gaussian baseline against the density written out with a dense inverse and determinant.
func TestGaussianLogProbs(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	train, test := mat.NewDense(50, 3, nil), mat.NewDense(4, 3, nil)
	for _, m := range []*mat.Dense{train, test} {
		n, _ := m.Dims()
		for i := range n {
			a, b := rng.NormFloat64(), rng.NormFloat64()
			m.SetRow(i, []float64{a, 2*a + 0.5*b, 1 - b + 0.1*rng.NormFloat64()})
		}
	}
	got, err := gaussianLogProbs(train, test)
	require.NoError(t, err)
	var cov mat.SymDense
	stat.CovarianceMatrix(&cov, train, nil)
	mean := make([]float64, 3)
	for j := range mean {
		mean[j] = stat.Mean(mat.Col(nil, j, train), nil)
	}
	var inv mat.Dense
	require.NoError(t, inv.Inverse(&cov))
	for i, g := range got {
		r := mat.NewVecDense(3, nil)
		r.SubVec(test.RowView(i), mat.NewVecDense(3, mean))
		want := -0.5*mat.Inner(r, &inv, r) - 0.5*math.Log(mat.Det(&cov)) - 1.5*math.Log(2*math.Pi)
		require.InDelta(t, want, g, 1e-10)
	}
	_, err = gaussianLogProbs(mat.NewDense(3, 3, []float64{1, 2, 3, 2, 4, 6, 3, 6, 9}), test)
	require.ErrorContains(t, err, "not positive definite")
}
