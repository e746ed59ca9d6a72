package trainer

import (
	"math"
	"math/rand"
	"testing"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/layers"
	"gonum.org/v1/gonum/mat"
)

// The training loss of a model with soft masks is the mean NLL plus λ·Σ M, and its gradient is
// that of both (central differences of the numeric path); λ < 0 turns the penalty off.
func TestSparsityPenalty(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	f := perturbedFlow(t, 3, distributions.Spec{Layers: 2, Mask: "soft", Hidden: []int{6}}, rng)
	x := mat.NewDense(8, 3, nil)
	x.Apply(func(_, _ int, _ float64) float64 { return rng.NormFloat64() }, x)
	const lambda = 0.3
	loss := func(lam float64) float64 {
		s := 0.0
		for _, v := range f.LogProbs(x) {
			s -= v
		}
		s /= 8
		for _, l := range f.Layers {
			s += lam * mat.Sum(l.(*layers.Injection).EffectiveMask())
		}
		return s
	}
	for _, lam := range []float64{lambda, -1} {
		st, err := newStepper(f, 8, 3, lam, false, false, 1)
		if err != nil {
			t.Fatal(err)
		}
		copy(st.input.Data().([]float64), x.RawMatrix().Data)
		got, err := st.run()
		st.close()
		if err != nil {
			t.Fatal(err)
		}
		want := loss(math.Max(lam, 0))
		if math.Abs(got-want) > 1e-10 {
			t.Fatalf("λ=%g: training loss %g, want NLL + λ·ΣM = %g", lam, got, want)
		}
		for k, p := range st.params {
			if p.Name != "inj.mask_logits" {
				continue
			}
			for i := range p.Data() {
				d := p.Data()
				old := d[i]
				d[i] = old + 1e-6
				p.Touch()
				up := loss(math.Max(lam, 0))
				d[i] = old - 1e-6
				p.Touch()
				dn := loss(math.Max(lam, 0))
				d[i] = old
				p.Touch()
				if fdv := (up - dn) / 2e-6; math.Abs(fdv-st.grads[k][i]) > 1e-6 {
					t.Errorf("λ=%g logit %d: graph %g fd %g", lam, i, st.grads[k][i], fdv)
				}
			}
		}
	}
	if s, _ := (Settings{}).withDefaults(); s.Sparsity != DefaultSparsity {
		t.Errorf("default sparsity %g", s.Sparsity)
	}
	if _, err := (Settings{Sparsity: math.NaN()}).withDefaults(); err == nil {
		t.Error("NaN sparsity accepted")
	}
}
