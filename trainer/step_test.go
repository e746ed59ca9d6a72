package trainer

import (
	"math/rand"
	"testing"

	"github.com/affineflow/flow/distributions"
	"gonum.org/v1/gonum/mat"
)

// TestStepGradients checks the training graph's gradient of the mean NLL against central finite
// differences of the numeric path, on three consecutive runs, with either base: with dual values gorgonia
// accumulates gradients across runs, which would double the second step.
func TestStepGradients(t *testing.T) {
	for _, nu := range []float64{0, 4} { // the normal base and a Student-t one
		stepGradients(t, distributions.Spec{Layers: 3, Hidden: []int{8, 8}, StudentT: nu})
	}
}

func stepGradients(t *testing.T, spec distributions.Spec) {
	rng := rand.New(rand.NewSource(1))
	f := perturbedFlow(t, 2, spec, rng)
	x := mat.NewDense(16, 2, nil)
	x.Apply(func(_, _ int, _ float64) float64 { return rng.NormFloat64() }, x)
	st, err := newStepper(f, 16, 2, 0, false, false, 1)
	if err != nil {
		t.Fatal(err)
	}
	copy(st.input.Data().([]float64), x.RawMatrix().Data)
	nl := func() float64 {
		s := 0.0
		for _, v := range f.LogProbs(x) {
			s -= v
		}
		return s / 16
	}
	for rep := 0; rep < 3; rep++ {
		loss, err := st.run()
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("loss %g numeric %g", loss, nl())
		for k, p := range st.params {
			for _, i := range []int{0, p.Len() - 1} {
				d := p.Data()
				old := d[i]
				d[i] = old + 1e-6
				p.Touch()
				up := nl()
				d[i] = old - 1e-6
				p.Touch()
				dn := nl()
				d[i] = old
				p.Touch()
				fdv := (up - dn) / 2e-6
				if diff := fdv - st.grads[k][i]; diff > 1e-5 || diff < -1e-5 {
					t.Errorf("rep %d param %s[%d]: graph %g fd %g", rep, p.Name, i, st.grads[k][i], fdv)
				}
			}
		}
	}
}
