package toy

import (
	"math"
	"math/rand"

	"gonum.org/v1/gonum/mat"
)

// SpiralsNoise is the standard deviation of the final isotropic Gaussian noise of the spirals.
const SpiralsNoise = 0.1

// Spirals samples n points from FFJORD's "2spirals" target. A point of the first arm is
//
//	t = √U · 3π            (540°, U ~ Uniform[0,1))
//	p = (−t·cos t + 0.5·U₁, t·sin t + 0.5·U₂) / 3 + 0.1·(Z₁, Z₂)
//
// with independent uniforms U₁, U₂ and standard normals Z₁, Z₂; the second arm is the point
// reflection −(…)/3 of the first, with its own fresh noise. The first arm gets n − ⌊n/2⌋ points
// and the second ⌊n/2⌋, drawn independently (FFJORD reuses the first arm's draws, reflected), and
// the rows are shuffled. The mean is ≈ (0, 0), the per-coordinate std ≈ 1.6, and the points
// lie within about 3.6 of the origin.
func Spirals(n int, rng *rand.Rand) *mat.Dense {
	x := newSample("Spirals", n, rng)
	first := n - n/2
	for i := 0; i < n; i++ {
		t := math.Sqrt(rng.Float64()) * 540 * (2 * math.Pi) / 360
		px := -math.Cos(t)*t + rng.Float64()*0.5
		py := math.Sin(t)*t + rng.Float64()*0.5
		if i >= first {
			px, py = -px, -py
		}
		x.Set(i, 0, px/3+SpiralsNoise*rng.NormFloat64())
		x.Set(i, 1, py/3+SpiralsNoise*rng.NormFloat64())
	}
	shuffleRows(x, rng)
	return x
}
