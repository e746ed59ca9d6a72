package toy

import (
	"math"
	"math/rand"

	"gonum.org/v1/gonum/mat"
)

// MoonsNoise is the standard deviation of the isotropic Gaussian noise added to the two moons
// before rescaling (sklearn's make_moons noise parameter, as in FFJORD).
const MoonsNoise = 0.1

// TwoMoons samples n points from the "moons" target: sklearn's make_moons with noise 0.1,
// then mapped by (x, y) ↦ (2x − 1, 2y − 0.2) as in FFJORD.
//
// Before the affine map the upper moon is (cos t, sin t) and the lower moon is
// (1 − cos t, 0.5 − sin t) for t on an evenly spaced grid of [0, π] (end points included);
// the upper moon gets ⌊n/2⌋ points and the lower one the rest, every point gets N(0, 0.1²) noise
// on each coordinate, and the rows are shuffled. After the map the data are centred in x
// (mean 0, std ≈ 1.74) with mean y ≈ 0.3 (std ≈ 1.01); the noise-free arcs span
// [-3, 3]×[-1.2, 1.8] and the noise has std 0.2 after scaling.
func TwoMoons(n int, rng *rand.Rand) *mat.Dense {
	x := newSample("TwoMoons", n, rng)
	nOut := n / 2
	nIn := n - nOut
	row := 0
	for i := 0; i < nOut; i++ {
		t := linspaceClosed(i, nOut, math.Pi)
		x.Set(row, 0, math.Cos(t))
		x.Set(row, 1, math.Sin(t))
		row++
	}
	for i := 0; i < nIn; i++ {
		t := linspaceClosed(i, nIn, math.Pi)
		x.Set(row, 0, 1-math.Cos(t))
		x.Set(row, 1, 1-math.Sin(t)-0.5)
		row++
	}
	shuffleRows(x, rng)
	for i := 0; i < n; i++ {
		u := x.At(i, 0) + MoonsNoise*rng.NormFloat64()
		v := x.At(i, 1) + MoonsNoise*rng.NormFloat64()
		x.Set(i, 0, 2*u-1)
		x.Set(i, 1, 2*v-0.2)
	}
	return x
}

// linspaceClosed returns the i-th of k evenly spaced points of [0, hi], end points included
// (numpy.linspace(0, hi, k)); for k == 1 it is 0.
func linspaceClosed(i, k int, hi float64) float64 {
	if k == 1 {
		return 0
	}
	return hi * float64(i) / float64(k-1)
}
