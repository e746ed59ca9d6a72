package spline

import "math"

// The gradients of y and log dy/dx with respect to x and the unconstrained values, by forward-mode
// differentiation of the bin's formula in its seven local inputs (dual numbers), then the chain
// rule through the knots (cumulative sums of softmax values and softplus derivatives).

// local indexes the seven local inputs of a bin: x, x_k, x_{k+1}, y_k, y_{k+1}, d_k, d_{k+1}.
const nLocal = 7

// dual is a value with its partial derivatives in the local inputs.
type dual struct {
	v float64
	g [nLocal]float64
}

func seed(v float64, i int) dual {
	d := dual{v: v}
	d.g[i] = 1
	return d
}

func (a dual) add(b dual) dual {
	a.v += b.v
	for i := range a.g {
		a.g[i] += b.g[i]
	}
	return a
}

func (a dual) sub(b dual) dual {
	a.v -= b.v
	for i := range a.g {
		a.g[i] -= b.g[i]
	}
	return a
}

func (a dual) mul(b dual) dual {
	out := dual{v: a.v * b.v}
	for i := range out.g {
		out.g[i] = a.g[i]*b.v + a.v*b.g[i]
	}
	return out
}

func (a dual) div(b dual) dual {
	inv := 1 / b.v
	out := dual{v: a.v * inv}
	for i := range out.g {
		out.g[i] = (a.g[i] - out.v*b.g[i]) * inv
	}
	return out
}

func (a dual) scale(c float64) dual {
	a.v *= c
	for i := range a.g {
		a.g[i] *= c
	}
	return a
}

func (a dual) log() dual {
	out, inv := dual{v: math.Log(a.v)}, 1/a.v
	for i := range out.g {
		out.g[i] = a.g[i] * inv
	}
	return out
}

var one = dual{v: 1}

// rqDual is rq in dual numbers.
func rqDual(kn *knots, k int, x float64) (y, logdet dual) {
	xv, xk, xk1 := seed(x, 0), seed(kn.xs[k], 1), seed(kn.xs[k+1], 2)
	yk, yk1 := seed(kn.ys[k], 3), seed(kn.ys[k+1], 4)
	dk, dk1 := seed(kn.dk, 5), seed(kn.dk1, 6)
	w, h := xk1.sub(xk), yk1.sub(yk)
	delta := h.div(w)
	theta := xv.sub(xk).div(w)
	omt := one.sub(theta)
	t := theta.mul(omt)
	den := delta.add(dk.add(dk1).sub(delta.scale(2)).mul(t))
	y = yk.add(h.mul(delta.mul(theta).mul(theta).add(dk.mul(t))).div(den))
	num := dk1.mul(theta).mul(theta).add(delta.mul(t).scale(2)).add(dk.mul(omt).mul(omt))
	r := delta.div(den)
	logdet = r.mul(r).mul(num).log()
	return y, logdet
}

// rqGrad returns gy·∂y + gl·∂(log dy/dx) of bin k at x with respect to the seven local inputs
// (x, x_k, x_{k+1}, y_k, y_{k+1}, d_k, d_{k+1}), by the formulas of rq differentiated by hand
// through θ = (x − x_k)/w and δ = h/w (rqDual is the test's oracle):
//
//	A = δθ² + d_k t, den = δ + (d_k + d_{k+1} − 2δ)t, g = d_{k+1}θ² + 2δt + d_k(1−θ)², t = θ(1−θ),
//	y = y_k + hA/den, log dy/dx = 2 log δ + log g − 2 log den.
func rqGrad(kn *knots, k int, x, gy, gl float64) [nLocal]float64 {
	xk, w := kn.xs[k], kn.xs[k+1]-kn.xs[k]
	h := kn.ys[k+1] - kn.ys[k]
	dk, dk1 := kn.dk, kn.dk1
	delta := h / w
	theta := (x - xk) / w
	omt := 1 - theta
	t := theta * omt
	tp := 1 - 2*theta // dt/dθ
	sum := dk + dk1 - 2*delta
	den := delta + sum*t
	a := delta*theta*theta + dk*t
	gv := dk1*theta*theta + 2*delta*t + dk*omt*omt
	hd2 := h / (den * den)
	// y's partials
	yTheta := hd2 * ((2*delta*theta+dk*tp)*den - a*sum*tp)
	yDelta := hd2 * (theta*theta*den - a*(1-2*t))
	yH := a / den
	yDk := hd2 * t * (den - a)
	yDk1 := -hd2 * a * t
	// log dy/dx's partials
	lTheta := (2*dk1*theta+2*delta*tp-2*dk*omt)/gv - 2*sum*tp/den
	lDelta := 2/delta + 2*t/gv - 2*(1-2*t)/den
	lDk := omt*omt/gv - 2*t/den
	lDk1 := theta*theta/gv - 2*t/den

	gTheta, gDelta := gy*yTheta+gl*lTheta, gy*yDelta+gl*lDelta
	gW := -(gTheta*theta + gDelta*delta) / w
	gH := gy*yH + gDelta/w
	var g [nLocal]float64
	g[0] = gTheta / w
	g[1] = -gTheta/w - gW
	g[2] = gW
	g[3] = gy - gH
	g[4] = gH
	g[5] = gy*yDk + gl*lDk
	g[6] = gy*yDk1 + gl*lDk1
	return g
}

// Backward returns y and log dy/dx at x, and adds gy·∂y + gl·∂(log dy/dx) with respect to x
// (returned) and to the unconstrained values u (into gu, P values at stride step, as u).
func (s Spline) Backward(x float64, u []float64, step int, gy, gl float64, gu []float64, sc *Scratch) (gx float64) {
	if x < -s.Bound || x > s.Bound {
		return gy
	}
	kn := &sc.kn
	s.build(u, step, kn)
	k := bin(kn.xs, x)
	s.at(kn, u, step, k)
	return s.backward(kn, k, x, u, step, gy, gl, gu)
}

// BackwardSaved is Backward given what ForwardSaving saved at the same x and u: the same values
// without the knots' exponentials.
func (s Spline) BackwardSaved(x float64, u []float64, step int, gy, gl float64, gu []float64, sc *Scratch, saved []float64) (gx float64) {
	if x < -s.Bound || x > s.Bound {
		return gy
	}
	k := s.restore(x, saved, &sc.kn)
	return s.backward(&sc.kn, k, x, u, step, gy, gl, gu)
}

// backward is Backward once bin k of kn is set.
func (s Spline) backward(kn *knots, k int, x float64, u []float64, step int, gy, gl float64, gu []float64) (gx float64) {
	g := rqGrad(kn, k, x, gy, gl)
	bins, b := s.Bins, s.Bound
	scale := 2 * b * (1 - MinBin*float64(bins))
	// x_j = −B + 2B Σ_{l<j} (MinBin + (1 − K·MinBin)·sw_l): ∂x_j/∂sw_l = scale for l < j
	knotBack := func(gk, gk1 float64, sm []float64, from int) {
		dot := 0.0
		gs := func(l int) float64 { // ∂/∂sw_l of gk·x_k + gk1·x_{k+1}
			v := 0.0
			if l < k {
				v += gk * scale
			}
			if l < k+1 {
				v += gk1 * scale
			}
			return v
		}
		for l, p := range sm {
			dot += p * gs(l)
		}
		for l, p := range sm {
			gu[(from+l)*step] += p * (gs(l) - dot)
		}
	}
	knotBack(g[1], g[2], kn.sw, 0)
	knotBack(g[3], g[4], kn.sh, bins)
	for j, gd := range []float64{g[5], g[6]} { // interior derivatives d_k, d_{k+1}
		if idx := k + j; idx >= 1 && idx < bins {
			gu[(2*bins+idx-1)*step] += gd * sigmoid(u[(2*bins+idx-1)*step]+derivShift)
		}
	}
	return g[0]
}
