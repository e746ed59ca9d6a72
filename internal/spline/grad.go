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
	out := dual{v: a.v / b.v}
	for i := range out.g {
		out.g[i] = (a.g[i]*b.v - a.v*b.g[i]) / (b.v * b.v)
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
	out := dual{v: math.Log(a.v)}
	for i := range out.g {
		out.g[i] = a.g[i] / a.v
	}
	return out
}

var one = dual{v: 1}

// rqDual is rq in dual numbers.
func rqDual(kn *knots, k int, x float64) (y, logdet dual) {
	xv, xk, xk1 := seed(x, 0), seed(kn.xs[k], 1), seed(kn.xs[k+1], 2)
	yk, yk1 := seed(kn.ys[k], 3), seed(kn.ys[k+1], 4)
	dk, dk1 := seed(kn.ds[k], 5), seed(kn.ds[k+1], 6)
	w, h := xk1.sub(xk), yk1.sub(yk)
	delta := h.div(w)
	theta := xv.sub(xk).div(w)
	omt := one.sub(theta)
	t := theta.mul(omt)
	den := delta.add(dk.add(dk1).sub(delta.scale(2)).mul(t))
	y = yk.add(h.mul(delta.mul(theta).mul(theta).add(dk.mul(t))).div(den))
	num := dk1.mul(theta).mul(theta).add(delta.mul(t).scale(2)).add(dk.mul(omt).mul(omt))
	logdet = delta.log().scale(2).add(num.log()).sub(den.log().scale(2))
	return y, logdet
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
	y, ld := rqDual(kn, k, x)
	var g [nLocal]float64
	for i := range g {
		g[i] = gy*y.g[i] + gl*ld.g[i]
	}
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
