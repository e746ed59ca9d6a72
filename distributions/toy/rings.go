package toy

import (
	"math"
	"math/rand"

	"gonum.org/v1/gonum/mat"
)

// RingsNoise is the standard deviation of the isotropic Gaussian noise added to the rings.
const RingsNoise = 0.08

// RingRadii are the radii of the four rings of the rings target, outermost first.
var RingRadii = [4]float64{3, 2.25, 1.5, 0.75}

// Rings samples n points from FFJORD's "rings" target: four concentric circles of radius
// 3, 2.25, 1.5 and 0.75 (RingRadii) plus N(0, 0.08²) noise on each coordinate. The three outer
// rings get ⌊n/4⌋ points each and the inner ring the rest; on each ring the angles are evenly
// spaced on [0, 2π) (end point excluded), and the rows are shuffled. The mean is ≈ (0, 0) and the
// per-coordinate std ≈ 1.45.
func Rings(n int, rng *rand.Rand) *mat.Dense {
	x := newSample("Rings", n, rng)
	q := n / 4
	counts := [4]int{q, q, q, n - 3*q}
	row := 0
	for r, k := range counts {
		for i := 0; i < k; i++ {
			t := 2 * math.Pi * float64(i) / float64(k)
			x.Set(row, 0, RingRadii[r]*math.Cos(t))
			x.Set(row, 1, RingRadii[r]*math.Sin(t))
			row++
		}
	}
	shuffleRows(x, rng)
	for i := 0; i < n; i++ {
		x.Set(i, 0, x.At(i, 0)+RingsNoise*rng.NormFloat64())
		x.Set(i, 1, x.At(i, 1)+RingsNoise*rng.NormFloat64())
	}
	return x
}
