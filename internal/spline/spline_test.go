package spline

import (
	"math"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/require"
)

func randomParams(k int, rng *rand.Rand) []float64 {
	u := make([]float64, Params(k))
	for i := range u {
		u[i] = 1.5 * rng.NormFloat64()
	}
	return u
}

// points are inside bins, on every knot, at the bounds and in both tails.
func points(s Spline, u []float64) []float64 {
	var sc Scratch
	s.build(u, 1, &sc.kn)
	ps := append([]float64{-7, -s.Bound - 1e-9, s.Bound + 1e-9, 4.2, 0, 0.3, -1.1, 2.9}, sc.kn.xs...)
	for j := 0; j+1 < len(sc.kn.xs); j++ {
		ps = append(ps, 0.5*(sc.kn.xs[j]+sc.kn.xs[j+1]))
	}
	return ps
}

func TestIdentityAtZero(t *testing.T) {
	s := Spline{Bins: 8, Bound: 3}
	var sc Scratch
	for _, x := range []float64{-2.9, -1, 0, 0.5, 2.99} {
		y, ld := s.Forward(x, make([]float64, Params(8)), 1, &sc)
		require.InDelta(t, x, y, 1e-12)
		require.InDelta(t, 0, ld, 1e-12)
	}
}

// Forward is increasing, Inverse undoes it (also against bisection), and the log-derivative is
// the finite-difference one, at random parameters with values strided as in a net's output.
func TestForwardInverse(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for _, k := range []int{1, 2, 5, 8} {
		s := Spline{Bins: k, Bound: 3}
		for trial := 0; trial < 20; trial++ {
			const step = 3
			u0 := randomParams(k, rng)
			u := make([]float64, len(u0)*step)
			for j, v := range u0 {
				u[j*step] = v
			}
			var sc Scratch
			prev := math.Inf(-1)
			for _, x := range points(s, u0) {
				y, ld := s.Forward(x, u, step, &sc)
				xb, ldb := s.Inverse(y, u, step, &sc)
				require.InDelta(t, x, xb, 1e-9, "K=%d x=%g", k, x)
				require.InDelta(t, ld, ldb, 1e-7, "K=%d x=%g", k, x)
				require.InDelta(t, x, bisect(s, u, step, y), 1e-9, "bisection, K=%d x=%g", k, x)
			}
			// the derivative by finite differences at points inside each bin (a stencil within the
			// bin: the spline is only C¹ at the knots)
			var kn Scratch
			s.build(u0, 1, &kn.kn)
			for j := 0; j < k; j++ {
				lo, w := kn.kn.xs[j], kn.kn.xs[j+1]-kn.kn.xs[j]
				for _, at := range []float64{0.1, 0.5, 0.83} {
					x, h := lo+at*w, 1e-3*w
					f := func(v float64) float64 { y, _ := s.Forward(v, u, step, &sc); return y }
					fd := (-f(x+2*h) + 8*f(x+h) - 8*f(x-h) + f(x-2*h)) / (12 * h)
					_, ld := s.Forward(x, u, step, &sc)
					require.InEpsilon(t, math.Exp(ld), fd, 1e-6, "K=%d bin %d x=%g", k, j, x)
				}
			}
			for x := -4.0; x <= 4; x += 0.01 {
				y, _ := s.Forward(x, u, step, &sc)
				require.Greater(t, y, prev, "increasing at %g", x)
				prev = y
			}
		}
	}
}

// bisect solves Forward(x) = y on [−10, 10].
func bisect(s Spline, u []float64, step int, y float64) float64 {
	var sc Scratch
	lo, hi := -10.0, 10.0
	for range 200 {
		mid := 0.5 * (lo + hi)
		if v, _ := s.Forward(mid, u, step, &sc); v < y {
			lo = mid
		} else {
			hi = mid
		}
	}
	return 0.5 * (lo + hi)
}

// Backward's gradients in x and in every parameter equal central finite differences of Forward;
// ForwardSaving and BackwardSaved give the bits of Forward and Backward.
func TestBackward(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	for _, k := range []int{1, 3, 8} {
		s := Spline{Bins: k, Bound: 3}
		for trial := 0; trial < 10; trial++ {
			u := randomParams(k, rng)
			gy, gl := rng.NormFloat64(), rng.NormFloat64()
			var sc Scratch
			f := func(x float64, u []float64) float64 {
				y, ld := s.Forward(x, u, 1, &sc)
				return gy*y + gl*ld
			}
			for _, x := range []float64{-2.5, -0.7, 0.1, 1.3, 2.8, 5, -4} {
				gu := make([]float64, len(u))
				gx := s.Backward(x, u, 1, gy, gl, gu, &sc)
				// the saved path gives the same bits, its scratch used for another spline between
				var other Scratch
				saved := make([]float64, Saved(k))
				y, ld := s.Forward(x, u, 1, &sc)
				ys, lds := s.ForwardSaving(x, u, 1, &other, saved)
				require.Equal(t, [2]float64{y, ld}, [2]float64{ys, lds}, "ForwardSaving: K=%d x=%g", k, x)
				s.Forward(0.5, randomParams(k, rng), 1, &other)
				gus := make([]float64, len(u))
				require.Equal(t, gx, s.BackwardSaved(x, u, 1, gy, gl, gus, &other, saved), "BackwardSaved: K=%d x=%g", k, x)
				require.Equal(t, gu, gus, "BackwardSaved: K=%d x=%g", k, x)
				const h = 1e-6
				require.InDelta(t, (f(x+h, u)-f(x-h, u))/(2*h), gx, 1e-5, "x: K=%d x=%g", k, x)
				for j := range u {
					old := u[j]
					u[j] = old + h
					up := f(x, u)
					u[j] = old - h
					down := f(x, u)
					u[j] = old
					require.InDelta(t, (up-down)/(2*h), gu[j], 1e-5, "u[%d]: K=%d x=%g", j, k, x)
				}
			}
		}
	}
}

// The hand-differentiated bin formula equals its dual-number differentiation.
func TestRQGrad(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	s := Spline{Bins: 6, Bound: 2}
	var sc Scratch
	for trial := 0; trial < 200; trial++ {
		u := randomParams(6, rng)
		s.build(u, 1, &sc.kn)
		x := 4 * (rng.Float64() - 0.5)
		k := bin(sc.kn.xs, x)
		s.at(&sc.kn, u, 1, k)
		gy, gl := rng.NormFloat64(), rng.NormFloat64()
		y, ld := rqDual(&sc.kn, k, x)
		g := rqGrad(&sc.kn, k, x, gy, gl)
		for i := range g {
			want := gy*y.g[i] + gl*ld.g[i]
			require.InDelta(t, want, g[i], 1e-9*math.Max(1, math.Abs(want)), "local input %d", i)
		}
	}
}
