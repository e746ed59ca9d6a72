package vmath

import (
	"math"
	"math/rand"
	"testing"
)

// AdamStep gives adamScalar's bits (w, m, v; g unchanged), with float64 and float32 gradients,
// and AdamStepTo32 those bits and float32(w) in its copy, at every length 0–13 and on 20,000
// values, random and special (zeros, ±Inf, NaN, tiny and huge values, negative second moments); a
// NaN may carry another payload (which operand's NaN an x86 instruction passes on depends on the
// compiler's operand order; the trainer steps only on finite gradients).
func TestAdamStep(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	special := []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), 1e-300, -1e300, 5e-324, 1, -1}
	draw := func() float64 {
		if rng.Intn(8) == 0 {
			return special[rng.Intn(len(special))]
		}
		return rng.NormFloat64() * math.Pow(10, float64(rng.Intn(9)-4))
	}
	c := Adam{F: 0.75, B1: 0.9, B2: 0.999, IC2: 1 / (1 - math.Pow(0.999, 3)), Rate: 1e-3 / (1 - math.Pow(0.9, 3)), Eps: 1e-8, Decay: 1e-4}
	lens := []int{20000}
	for n := 0; n <= 13; n++ {
		lens = append(lens, n)
	}
	for _, n := range lens {
		w, m, v, g := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
		for i := range w {
			w[i], m[i], v[i], g[i] = draw(), draw(), math.Abs(draw()), draw()
			if rng.Intn(50) == 0 {
				v[i] = -v[i]
			}
		}
		g32 := make([]float32, n)
		for i, x := range g {
			g32[i] = float32(x)
		}
		check := func(name string, got, want [][]float64) {
			for k := range got {
				for i := range got[k] {
					if math.Float64bits(got[k][i]) != math.Float64bits(want[k][i]) && !(math.IsNaN(got[k][i]) && math.IsNaN(want[k][i])) {
						t.Fatalf("%s, n=%d: array %d value %d is %v, want %v", name, n, k, i, got[k][i], want[k][i])
					}
				}
			}
		}
		clone := func(s []float64) []float64 { return append([]float64(nil), s...) }
		{
			ww, mm, vv, gg := clone(w), clone(m), clone(v), clone(g)
			AdamStep(ww, gg, mm, vv, c)
			k := c.consts()
			rw, rm, rv, rg := clone(w), clone(m), clone(v), clone(g)
			adamScalar(rw, rg, rm, rv, &k)
			check("float64", [][]float64{ww, mm, vv, gg, rg}, [][]float64{rw, rm, rv, g, g})
		}
		{
			ww, mm, vv, gg := clone(w), clone(m), clone(v), append([]float32(nil), g32...)
			AdamStep(ww, gg, mm, vv, c)
			k := c.consts()
			rw, rm, rv, rg := clone(w), clone(m), clone(v), append([]float32(nil), g32...)
			adamScalar(rw, rg, rm, rv, &k)
			check("float32", [][]float64{ww, mm, vv}, [][]float64{rw, rm, rv})
			for i, x := range gg {
				if math.Float32bits(x) != math.Float32bits(g32[i]) || math.Float32bits(rg[i]) != math.Float32bits(g32[i]) {
					t.Fatalf("float32, n=%d: g[%d] = %v after the step, want it unchanged (%v)", n, i, x, g32[i])
				}
			}
		}
		{
			ww, mm, vv, gg := clone(w), clone(m), clone(v), append([]float32(nil), g32...)
			w32 := make([]float32, n)
			for i := range w32 {
				w32[i] = float32(math.NaN())
			}
			AdamStepTo32(ww, gg, mm, vv, w32, c)
			k := c.consts()
			rw, rm, rv := clone(w), clone(m), clone(v)
			adamScalar(rw, g32, rm, rv, &k)
			check("float32 with copy", [][]float64{ww, mm, vv}, [][]float64{rw, rm, rv})
			for i, x := range w32 {
				if want := float32(rw[i]); math.Float32bits(x) != math.Float32bits(want) && !(x != x && want != want) {
					t.Fatalf("float32 with copy, n=%d: w32[%d] = %v, want float32(w) = %v", n, i, x, want)
				}
			}
		}
	}
}

// adamScalar is the update of the Adam paper's algorithm 1 (with decoupled decay), in the folded
// form: checked against the textbook formula to rounding.
func TestAdamScalarFormula(t *testing.T) {
	const lr, wd, b1, b2, eps, step = 1e-3, 1e-2, 0.9, 0.999, 1e-8, 4
	c := Adam{F: 0.5, B1: b1, B2: b2, IC2: 1 / (1 - math.Pow(b2, step)), Rate: lr / (1 - math.Pow(b1, step)), Eps: eps, Decay: lr * wd}
	w, g, m, v := []float64{0.3}, []float64{-2}, []float64{0.1}, []float64{0.02}
	gi := 0.5 * -2.0
	mi, vi := b1*0.1+(1-b1)*gi, b2*0.02+(1-b2)*gi*gi
	mhat, vhat := mi/(1-math.Pow(b1, step)), vi/(1-math.Pow(b2, step))
	want := 0.3 - lr*(mhat/(math.Sqrt(vhat)+eps)+wd*0.3)
	k := c.consts()
	adamScalar(w, g, m, v, &k)
	if math.Abs(w[0]-want) > 1e-12 || math.Abs(m[0]-mi) > 1e-15 || math.Abs(v[0]-vi) > 1e-15 {
		t.Fatalf("w, m, v = %v, %v, %v; want %v, %v, %v", w[0], m[0], v[0], want, mi, vi)
	}
}

// BenchmarkAdamStep: one step over 65,536 weights (2 MiB per array, in the caches) with float64
// and float32 gradients, AdamStep against the scalar loop.
func BenchmarkAdamStep(b *testing.B) {
	const n = 1 << 16
	w, m, v := make([]float64, n), make([]float64, n), make([]float64, n)
	g, g32 := make([]float64, n), make([]float32, n)
	c := Adam{F: 1, B1: 0.9, B2: 0.999, IC2: 1.5, Rate: 1e-3, Eps: 1e-8}
	k := c.consts()
	for i := range g {
		g[i], g32[i] = float64(i%7)*0.01, float32(i%7)*0.01
	}
	run := func(name string, f func()) {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				f()
			}
			b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "values/s")
		})
	}
	run("vmath/float64", func() { AdamStep(w, g, m, v, c) })
	run("scalar/float64", func() { adamScalar(w, g, m, v, &k) })
	run("vmath/float32", func() { AdamStep(w, g32, m, v, c) })
	run("scalar/float32", func() { adamScalar(w, g32, m, v, &k) })
	w32 := make([]float32, n)
	run("vmath/float32+copy", func() { AdamStepTo32(w, g32, m, v, w32, c) })
}
