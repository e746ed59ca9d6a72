package vmath

import "math"

// Adam holds the constants of one Adam step (Kingma & Ba 2015) with decoupled weight decay, in
// the form trainer's optimizer folds them into: F scales the gradient (the clipping factor),
// B1 and B2 are β₁ and β₂, IC2 = 1/(1 − β₂ᵗ), Rate = lr/(1 − β₁ᵗ), Eps = ε and Decay = lr·λ.
type Adam struct{ F, B1, B2, IC2, Rate, Eps, Decay float64 }

// adamConsts is the constant block the kernels read: Adam's fields with 1 − β₁ and 1 − β₂.
type adamConsts struct{ f, b1, omb1, b2, omb2, ic2, rate, eps, decay float64 }

func (c Adam) consts() adamConsts {
	return adamConsts{c.F, c.B1, 1 - c.B1, c.B2, 1 - c.B2, c.IC2, c.Rate, c.Eps, c.Decay}
}

// AdamStep applies one step to the weights w with moments m and v given the gradients g (float64,
// or float32 in mixed precision; read only):
//
//	g' = F·g,  m ← β₁m + (1−β₁)g',  v ← β₂v + (1−β₂)g'²,  w ← w − (Rate·m/(√(IC2·v) + ε) + Decay·w),
//
// four values at a time with AVX2, the same bits as the scalar loop (every product rounded on its
// own: no fused multiply-adds, as the compiler emits for the default GOAMD64=v1; the explicit
// conversions below keep it from fusing under v3). g, m and v must be as long as w.
func AdamStep[G ~float32 | ~float64](w []float64, g []G, m, v []float64, c Adam) {
	k := c.consts()
	g, m, v = g[:len(w)], m[:len(w)], v[:len(w)]
	n := 0
	if hasAsm && len(w) >= 4 {
		switch g := any(g).(type) {
		case []float64:
			n = len(w) &^ 3
			adamAVX2(n, &w[0], &g[0], &m[0], &v[0], &k)
		case []float32:
			n = len(w) &^ 3
			adam32AVX2(n, &w[0], &g[0], &m[0], &v[0], &k, nil)
		}
	}
	adamScalar(w[n:], g[n:], m[n:], v[n:], &k)
}

// AdamStepTo32 is AdamStep with float32 gradients that also sets w32 to the new weights rounded
// to float32, in the same pass: the float32 copy a mixed-precision graph runs on, written while w
// is in the registers instead of read again by a second pass. w32 must be as long as w.
func AdamStepTo32(w []float64, g []float32, m, v []float64, w32 []float32, c Adam) {
	k := c.consts()
	g, m, v, w32 = g[:len(w)], m[:len(w)], v[:len(w)], w32[:len(w)]
	n := 0
	if hasAsm && len(w) >= 4 {
		n = len(w) &^ 3
		adam32AVX2(n, &w[0], &g[0], &m[0], &v[0], &k, &w32[0])
	}
	adamScalar(w[n:], g[n:], m[n:], v[n:], &k)
	for i, x := range w[n:] {
		w32[n+i] = float32(x)
	}
}

// adamScalar is AdamStep one value at a time.
func adamScalar[G ~float32 | ~float64](w []float64, g []G, m, v []float64, c *adamConsts) {
	g, m, v = g[:len(w)], m[:len(w)], v[:len(w)]
	for i := range w {
		gi := float64(c.f * float64(g[i]))
		mi := float64(c.b1*m[i]) + float64(c.omb1*gi)
		vi := float64(c.b2*v[i]) + float64(float64(c.omb2*gi)*gi)
		m[i], v[i] = mi, vi
		w[i] -= float64(c.rate*mi)/(math.Sqrt(float64(vi*c.ic2))+c.eps) + float64(c.decay*w[i])
	}
}
