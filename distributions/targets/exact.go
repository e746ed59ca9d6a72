package targets

import (
	"math"
	"math/rand"

	"gonum.org/v1/gonum/mat"
)

// Banana: x1 ~ N(0, 1), x2 | x1 ~ N(x1² − 1, 0.5²); log p̃ drops the normal constants, so
// log Z = log(2π · 0.5).
const bananaScale = 0.5

// Funnel (Neal 2003) in D = 10: v ~ N(0, 3²), x_i | v ~ N(0, e^v) for i = 1..9;
// log p̃ = −v²/18 − 9v/2 − ½ e^{−v} Σ x_i², so log Z = 5 log 2π + log 3.
const funnelDim = 10

// Ring: an equal mixture of eight N(μ_k, 0.5² I) with μ_k on the circle of radius 2 at angles
// 2πk/8; log p̃ = log Σ_k exp(−‖x − μ_k‖²/(2 · 0.5²)), so log Z = log(8 · 2π · 0.5²).
const (
	ringRadius = 2.0
	ringStd    = 0.5
)

func init() {
	register(Target{Name: "banana", Dim: 2, LogZ: math.Log(2 * math.Pi * bananaScale),
		About: "x1 ~ N(0, 1), x2 | x1 ~ N(x1² − 1, 0.5²)",
		formula: func(a alg) val {
			x1, x2 := a.col(0), a.col(1)
			return a.add(gauss(a, x1, 0, 1), gauss(a, a.sub(x2, a.shift(a.square(x1), -1)), 0, bananaScale))
		},
		Sample: func(n int, rng *rand.Rand) *mat.Dense {
			x := mat.NewDense(n, 2, nil)
			for r := range n {
				x1 := rng.NormFloat64()
				x.Set(r, 0, x1)
				x.Set(r, 1, x1*x1-1+bananaScale*rng.NormFloat64())
			}
			return x
		}})
	register(Target{Name: "funnel", Dim: funnelDim, LogZ: 5*math.Log(2*math.Pi) + math.Log(3),
		About: "Neal's funnel: v ~ N(0, 3²), x_1..9 | v ~ N(0, e^v)",
		formula: func(a alg) val {
			v := a.col(0)
			sum := a.square(a.col(1))
			for j := 2; j < funnelDim; j++ {
				sum = a.add(sum, a.square(a.col(j)))
			}
			prior := a.add(gauss(a, v, 0, 3), a.scale(v, -float64(funnelDim-1)/2))
			return a.sub(prior, a.scale(a.mul(a.exp(a.scale(v, -1)), sum), 0.5))
		},
		Sample: func(n int, rng *rand.Rand) *mat.Dense {
			x := mat.NewDense(n, funnelDim, nil)
			for r := range n {
				v := 3 * rng.NormFloat64()
				x.Set(r, 0, v)
				for j := 1; j < funnelDim; j++ {
					x.Set(r, j, math.Exp(v/2)*rng.NormFloat64())
				}
			}
			return x
		}})
	register(Target{Name: "ring", Dim: 2, LogZ: math.Log(8 * 2 * math.Pi * ringStd * ringStd),
		About: "eight N(μ_k, 0.5² I), μ_k on the circle of radius 2",
		formula: func(a alg) val {
			x1, x2 := a.col(0), a.col(1)
			terms := make([]val, 8)
			for k := range terms {
				c, s := ringCentre(k)
				terms[k] = a.add(gauss(a, x1, c, ringStd), gauss(a, x2, s, ringStd))
			}
			return a.lse(terms...)
		},
		Sample: func(n int, rng *rand.Rand) *mat.Dense {
			x := mat.NewDense(n, 2, nil)
			for r := range n {
				c, s := ringCentre(rng.Intn(8))
				x.Set(r, 0, c+ringStd*rng.NormFloat64())
				x.Set(r, 1, s+ringStd*rng.NormFloat64())
			}
			return x
		}})
}

func ringCentre(k int) (float64, float64) {
	a := 2 * math.Pi * float64(k) / 8
	return ringRadius * math.Cos(a), ringRadius * math.Sin(a)
}
