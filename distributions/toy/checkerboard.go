package toy

import (
	"math"
	"math/rand"

	"gonum.org/v1/gonum/mat"
)

// CheckerboardEntropy is the exact differential entropy, in nats, of the checkerboard target:
// log of its support area, log 32 ≈ 3.4657359028. It is the smallest achievable expected NLL
// (nats per 2-D point) on this target.
const CheckerboardEntropy = 3.4657359027997265 // math.Log(32)

// checkerboardLogDensity is log(1/32), the log-density on the black squares.
const checkerboardLogDensity = -CheckerboardEntropy

// Checkerboard samples n points from FFJORD's "checkerboard" target: the uniform distribution on
// the 8 "black" squares of the 4×4 board of 2×2 squares tiling [-4, 4)². Square
// [2i, 2i+2)×[2j, 2j+2), i, j ∈ {-2, …, 1}, is black when i+j is even; the black squares include
// [-4,-2)×[-4,-2) and [0,2)×[0,2). The density is 1/32 on the black squares (total area 32), each
// coordinate is marginally uniform on [-4, 4) (mean 0, std 8/√12 ≈ 2.31), and
// CheckerboardLogProb is its exact log-density.
func Checkerboard(n int, rng *rand.Rand) *mat.Dense {
	x := newSample("Checkerboard", n, rng)
	for i := 0; i < n; i++ {
		// FFJORD: x1 = U·4 − 2; x2 = U − 2·B + (⌊x1⌋ mod 2), B ∈ {0,1}; both scaled by 2.
		x1 := rng.Float64()*4 - 2 // in [-2, 2); the row below is derived from this rounded value
		col := int(math.Floor(x1))
		row := col&1 - 2*rng.Intn(2) // ∈ {-2, 0} for even columns, {-1, 1} for odd ones
		x2 := float64(row) + rng.Float64()
		if x2 >= float64(row+1) { // row + U can round up to row+1 when row < 0
			x2 = math.Nextafter(float64(row+1), math.Inf(-1))
		}
		x.Set(i, 0, 2*x1)
		x.Set(i, 1, 2*x2)
	}
	return x
}

// CheckerboardLogProb returns the exact log-density (nats) of the checkerboard target at each row
// of the m×2 matrix x: log(1/32) on the black squares and −Inf elsewhere (including outside
// [-4, 4)²; squares are closed below and open above, matching the sampler). It panics if x does
// not have two columns.
func CheckerboardLogProb(x *mat.Dense) []float64 {
	m := checkPoints("CheckerboardLogProb", x)
	out := make([]float64, m)
	for r := 0; r < m; r++ {
		if OnCheckerboard(x.At(r, 0), x.At(r, 1)) {
			out[r] = checkerboardLogDensity
		} else {
			out[r] = math.Inf(-1)
		}
	}
	return out
}

// OnCheckerboard reports whether (x, y) lies in the support of the checkerboard target.
func OnCheckerboard(x, y float64) bool {
	if !(x >= -4 && x < 4 && y >= -4 && y < 4) { // also rejects NaN
		return false
	}
	i := int(math.Floor(x / 2))
	j := int(math.Floor(y / 2))
	return (i+j)&1 == 0
}
