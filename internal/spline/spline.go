// Package spline is the monotone rational-quadratic spline of Neural Spline Flows (Durkan et al.
// 2019, "Neural Spline Flows", §3.1, eqs. 4–6 and the inverse by the root of a quadratic), with
// identity tails: on [−B, B] a spline of K bins, outside it y = x. It is plain numerics, shared by
// the graph op (graph.Spline) and the layers' numeric paths.
//
// A spline is given by P = 3K − 1 unconstrained values per dimension (Params): K width logits,
// K height logits and K − 1 interior derivative values, mapped as in nflows'
// unconstrained_rational_quadratic_spline:
//
//	w = m + (1 − mK)·softmax(width logits), h likewise (m = MinBin), knots at −B + 2B·cumsum,
//	d_0 = d_K = 1, d_k = MinDerivative + softplus(u_k + c), c = log(e^{1−MinDerivative} − 1),
//
// so that all-zero values give the identity map (the interior derivatives are then 1 too).
package spline

import "math"

// Minimum bin width and height (as fractions of 2B) and minimum derivative, nflows' defaults.
const (
	MinBin        = 1e-3
	MinDerivative = 1e-3
)

// derivShift is c with MinDerivative + softplus(c) = 1.
var derivShift = math.Log(math.Expm1(1 - MinDerivative))

// Params returns P = 3K − 1, the number of unconstrained values per dimension of a K-bin spline.
func Params(k int) int { return 3*k - 1 }

// Spline is a K-bin rational-quadratic spline on [−Bound, Bound] with identity tails.
type Spline struct {
	Bins  int
	Bound float64
}

// knots holds one dimension's spline: knot positions xs, ys (K+1 each), the softmax values of
// the width and height logits (for the gradients), and the derivatives at the two knots of the
// bin in use (dk, dk1: computed for that bin only, see at).
type knots struct {
	xs, ys  []float64
	sw, sh  []float64
	dk, dk1 float64
}

// size makes kn hold the knots of k bins.
func (kn *knots) size(k int) {
	if len(kn.xs) != k+1 {
		*kn = knots{xs: make([]float64, k+1), ys: make([]float64, k+1), sw: make([]float64, k), sh: make([]float64, k)}
	}
}

// build maps the unconstrained values u (P values at stride step: u[j·step]) to knots in kn.
func (s Spline) build(u []float64, step int, kn *knots) {
	k := s.Bins
	kn.size(k)
	softmax(u, 0, step, kn.sw)
	softmax(u, k, step, kn.sh)
	s.cumulate(kn)
}

// cumulate sets the knot positions of kn from its softmax values.
func (s Spline) cumulate(kn *knots) {
	k := s.Bins
	b := s.Bound
	scale := 1 - MinBin*float64(k)
	cumulate := func(sm, out []float64) {
		acc := 0.0
		out[0] = -b
		for j, v := range sm {
			acc += MinBin + scale*v
			out[j+1] = -b + 2*b*acc
		}
		out[k] = b // exactly, whatever the rounding
	}
	cumulate(kn.sw, kn.xs)
	cumulate(kn.sh, kn.ys)
}

// at selects bin b: it sets the derivatives at its knots, d_b and d_{b+1}.
func (s Spline) at(kn *knots, u []float64, step, b int) {
	kn.dk, kn.dk1 = s.derivative(u, step, b), s.derivative(u, step, b+1)
}

// derivative returns d_j: 1 at the bounds, MinDerivative + softplus(u_{2K+j−1} + c) inside.
func (s Spline) derivative(u []float64, step, j int) float64 {
	if j == 0 || j == s.Bins {
		return 1
	}
	return MinDerivative + softplus(u[(2*s.Bins+j-1)*step]+derivShift)
}

// softmax writes softmax(u[from·step], u[(from+1)·step], ...) into out (len(out) values).
func softmax(u []float64, from, step int, out []float64) {
	m := math.Inf(-1)
	for j := range out {
		m = math.Max(m, u[(from+j)*step])
	}
	sum := 0.0
	for j := range out {
		out[j] = math.Exp(u[(from+j)*step] - m)
		sum += out[j]
	}
	for j := range out {
		out[j] /= sum
	}
}

func softplus(v float64) float64 {
	if v > 30 {
		return v
	}
	return math.Log1p(math.Exp(v))
}

func sigmoid(v float64) float64 { return 0.5 + 0.5*math.Tanh(0.5*v) }

// bin returns the k with at[k] <= v < at[k+1] (the last bin for v = at[K]).
func bin(at []float64, v float64) int {
	lo, hi := 0, len(at)-2
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if at[mid] <= v {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

// Scratch holds the working memory of one goroutine's spline evaluations.
type Scratch struct{ kn knots }

// Forward returns y and log dy/dx at x for the values u (P values at stride step).
func (s Spline) Forward(x float64, u []float64, step int, sc *Scratch) (y, logdet float64) {
	if x < -s.Bound || x > s.Bound {
		return x, 0
	}
	s.build(u, step, &sc.kn)
	k := bin(sc.kn.xs, x)
	s.at(&sc.kn, u, step, k)
	return rq(&sc.kn, k, x)
}

// Saved returns the number of values ForwardSaving keeps for BackwardSaved with K bins: the 2K
// softmax values of the width and height logits and the derivatives at the bin's two knots.
func Saved(k int) int { return 2*k + 2 }

// ForwardSaving is Forward that also writes into saved (Saved(K) values; untouched in the tails)
// what BackwardSaved needs of it, so that the backward pass does not build the knots again (their
// exponentials are most of a spline's cost).
func (s Spline) ForwardSaving(x float64, u []float64, step int, sc *Scratch, saved []float64) (y, logdet float64) {
	if x < -s.Bound || x > s.Bound {
		return x, 0
	}
	kn := &sc.kn
	y, logdet = s.Forward(x, u, step, sc)
	k := s.Bins
	copy(saved[:k], kn.sw)
	copy(saved[k:2*k], kn.sh)
	saved[2*k], saved[2*k+1] = kn.dk, kn.dk1
	return y, logdet
}

// restore sets kn and returns the bin of x from what ForwardSaving saved.
func (s Spline) restore(x float64, saved []float64, kn *knots) int {
	k := s.Bins
	kn.size(k)
	copy(kn.sw, saved[:k])
	copy(kn.sh, saved[k:2*k])
	s.cumulate(kn)
	kn.dk, kn.dk1 = saved[2*k], saved[2*k+1]
	return bin(kn.xs, x)
}

// Inverse returns x and log dy/dx at x (the forward log-derivative) for y.
func (s Spline) Inverse(y float64, u []float64, step int, sc *Scratch) (x, logdet float64) {
	if y < -s.Bound || y > s.Bound {
		return y, 0
	}
	kn := &sc.kn
	s.build(u, step, kn)
	k := bin(kn.ys, y)
	s.at(kn, u, step, k)
	xk, w := kn.xs[k], kn.xs[k+1]-kn.xs[k]
	yk, h := kn.ys[k], kn.ys[k+1]-kn.ys[k]
	dk, dk1 := kn.dk, kn.dk1
	delta := h / w
	dy := y - yk
	sum := dk + dk1 - 2*delta
	a := h*(delta-dk) + dy*sum
	bq := h*dk - dy*sum
	c := -delta * dy
	// the root in [0, 1] is (−b + √disc)/(2a) = 2c/(−b − √disc); each form is free of
	// cancellation for one sign of b
	disc := math.Sqrt(math.Max(bq*bq-4*a*c, 0))
	theta := 2 * c / (-bq - disc)
	if bq < 0 {
		theta = (-bq + disc) / (2 * a)
	}
	x = xk + theta*w
	_, logdet = rq(kn, k, x)
	return x, logdet
}

// rq evaluates bin k of kn at x: eq. 4 of Durkan et al. for y and the log of its derivative,
//
//	θ = (x − x_k)/w, δ = h/w, den = δ + (d_k + d_{k+1} − 2δ)θ(1−θ),
//	y = y_k + h(δθ² + d_kθ(1−θ))/den,
//	dy/dx = δ²(d_{k+1}θ² + 2δθ(1−θ) + d_k(1−θ)²)/den².
func rq(kn *knots, k int, x float64) (y, logdet float64) {
	xk, w := kn.xs[k], kn.xs[k+1]-kn.xs[k]
	yk, h := kn.ys[k], kn.ys[k+1]-kn.ys[k]
	dk, dk1 := kn.dk, kn.dk1
	delta := h / w
	theta := (x - xk) / w
	t := theta * (1 - theta)
	den := delta + (dk+dk1-2*delta)*t
	y = yk + h*(delta*theta*theta+dk*t)/den
	r := delta / den
	logdet = math.Log(r * r * (dk1*theta*theta + 2*delta*t + dk*(1-theta)*(1-theta)))
	return y, logdet
}
