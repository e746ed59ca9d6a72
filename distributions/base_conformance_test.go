package distributions_test

import (
	"math"
	"math/rand"
	"testing"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/distributions/basetest"
	"gonum.org/v1/gonum/floats"
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
	mix, err := distributions.NewMixture(2, 3, rand.New(rand.NewSource(3)))
	if err != nil {
		t.Fatal(err)
	}
	copy(mix.Logits.Data(), []float64{0.5, -0.3, 0})
	copy(mix.LogStd.Data(), []float64{-0.2, 0.1, 0.3, -0.4, 0, 0.2})
	learned, err := distributions.NewLearnedStudentT(3, 7)
	if err != nil {
		t.Fatal(err)
	}
	basetest.Run(t, []basetest.Case{
		{Name: "student-t/learned-nu=7", Base: learned, Oracle: student(3, 7)},
		{Name: "mixture/K=3", Base: mix, Oracle: mixtureOracle(t, mix)},
		{Name: "standard-normal", Base: distributions.StandardNormal{D: 3}, Oracle: normal(make([]float64, 3), identity(3, 1))},
		{Name: "standard-normal/D=1", Base: distributions.StandardNormal{D: 1}, Oracle: normal([]float64{0}, identity(1, 1))},
		{Name: "diagonal-normal", Base: diag, Oracle: normal(append([]float64(nil), diag.Mean.Data()...), diagCov)},
		{Name: "student-t/nu=10", Base: distributions.StudentT{D: 3, Nu: 10}, Oracle: student(3, 10)},
		{Name: "student-t/nu=5,D=1", Base: distributions.StudentT{D: 1, Nu: 5}, Oracle: student(1, 5)},
	})
}

// mixture is an independent mixture of gonum's distmv.Normal components, the oracle of
// distributions.Mixture.
type mixture struct {
	w     []float64
	comps []*distmv.Normal
}

func mixtureOracle(t *testing.T, m *distributions.Mixture) mixture {
	k, d := m.K(), m.Dim()
	var o mixture
	z := floats.LogSumExp(m.Logits.Data())
	for c := range k {
		o.w = append(o.w, math.Exp(m.Logits.Data()[c]-z))
		cov := mat.NewSymDense(d, nil)
		for j := range d {
			cov.SetSym(j, j, math.Exp(2*m.LogStd.Data()[c*d+j]))
		}
		n, ok := distmv.NewNormal(append([]float64(nil), m.Means.Data()[c*d:(c+1)*d]...), cov, nil)
		if !ok {
			t.Fatal("covariance")
		}
		o.comps = append(o.comps, n)
	}
	return o
}

func (o mixture) LogProb(x []float64) float64 {
	terms := make([]float64, len(o.comps))
	for c, n := range o.comps {
		terms[c] = math.Log(o.w[c]) + n.LogProb(x)
	}
	return floats.LogSumExp(terms)
}

func (o mixture) Mean(dst []float64) []float64 {
	d := o.comps[0].Dim()
	dst = make([]float64, d)
	for c, n := range o.comps {
		floats.AddScaled(dst, o.w[c], n.Mean(nil))
	}
	return dst
}

// CovarianceMatrix is Σ_k w_k (Σ_k + μ_k μ_kᵀ) − μ μᵀ.
func (o mixture) CovarianceMatrix(dst *mat.SymDense) {
	d := o.comps[0].Dim()
	mu := o.Mean(nil)
	out := mat.NewSymDense(d, nil)
	for c, n := range o.comps {
		var cov mat.SymDense
		n.CovarianceMatrix(&cov)
		m := n.Mean(nil)
		for i := range d {
			for j := i; j < d; j++ {
				out.SetSym(i, j, out.At(i, j)+o.w[c]*(cov.At(i, j)+m[i]*m[j]))
			}
		}
	}
	for i := range d {
		for j := i; j < d; j++ {
			out.SetSym(i, j, out.At(i, j)-mu[i]*mu[j])
		}
	}
	dst.ReuseAsSym(d)
	dst.CopySym(out)
}
