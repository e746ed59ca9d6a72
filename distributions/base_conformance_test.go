package distributions_test

import (
	"math"
	"testing"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/distributions/basetest"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distmv"
)

// Every base passes the base conformance suite against gonum's distmv as the oracle.
func TestBases(t *testing.T) {
	identity := func(d int, v float64) *mat.SymDense {
		s := mat.NewSymDense(d, nil)
		for i := range d {
			s.SetSym(i, i, v)
		}
		return s
	}
	normal := func(mu []float64, cov *mat.SymDense) *distmv.Normal {
		n, ok := distmv.NewNormal(mu, cov, nil)
		if !ok {
			t.Fatal("covariance not positive definite")
		}
		return n
	}
	student := func(d int, nu float64) *distmv.StudentsT {
		s, ok := distmv.NewStudentsT(make([]float64, d), identity(d, 1), nu, nil)
		if !ok {
			t.Fatal("scale matrix not positive definite")
		}
		return s
	}
	diag := distributions.NewDiagonalNormal(3)
	copy(diag.Mean.Data(), []float64{0.5, -1, 2})
	copy(diag.LogStd.Data(), []float64{0.3, -0.2, 0})
	diagCov := mat.NewSymDense(3, nil)
	for i, ls := range diag.LogStd.Data() {
		diagCov.SetSym(i, i, math.Exp(2*ls))
	}
	basetest.Run(t, []basetest.Case{
		{Name: "standard-normal", Base: distributions.StandardNormal{D: 3}, Oracle: normal(make([]float64, 3), identity(3, 1))},
		{Name: "standard-normal/D=1", Base: distributions.StandardNormal{D: 1}, Oracle: normal([]float64{0}, identity(1, 1))},
		{Name: "diagonal-normal", Base: diag, Oracle: normal(append([]float64(nil), diag.Mean.Data()...), diagCov)},
		{Name: "student-t/nu=10", Base: distributions.StudentT{D: 3, Nu: 10}, Oracle: student(3, 10)},
		{Name: "student-t/nu=5,D=1", Base: distributions.StudentT{D: 1, Nu: 5}, Oracle: student(1, 5)},
	})
}
