package recipe

import (
	"fmt"
	"math"
	"math/rand"

	"github.com/affineflow/flow/distributions"
	"gonum.org/v1/gonum/mat"
)

// dequantizeSeed offsets Train.Seed for the dequantization noise, so that it does not share a
// stream with the weights or the shuffling.
const dequantizeSeed = 0x64657175 // "dequ"

// Dequantize returns a copy of x whose columns cols (integers) have uniform noise added,
// x + u with u ~ U(0, 1) from rng, so that a continuous density of the result bounds the discrete
// likelihood of x: −log P(x) ≤ E_u[−log p(x + u)] (Theis et al. 2016; Ho et al. 2019). A value of
// those columns that is not an integer is an error naming its row and column (1-based).
func Dequantize(x *mat.Dense, cols []int, rng *rand.Rand) (*mat.Dense, error) {
	if err := Integers(x, cols); err != nil {
		return nil, err
	}
	return addNoise(x, cols, rng), nil
}

// addNoise returns a copy of x with U(0, 1) noise from rng added to the columns cols.
func addNoise(x *mat.Dense, cols []int, rng *rand.Rand) *mat.Dense {
	out := mat.DenseCopyOf(x)
	n, _ := x.Dims()
	for r := range n {
		for _, j := range cols {
			out.Set(r, j, out.At(r, j)+rng.Float64())
		}
	}
	return out
}

// Integers checks that columns cols of x hold integers only.
func Integers(x *mat.Dense, cols []int) error {
	n, c := x.Dims()
	for _, j := range cols {
		if j < 0 || j >= c {
			return fmt.Errorf("recipe: discrete column %d of %d", j+1, c)
		}
		for r := range n {
			if v := x.At(r, j); v != math.Trunc(v) || math.IsInf(v, 0) {
				return fmt.Errorf("recipe: row %d, column %d: %g is not an integer (a discrete column)", r+1, j+1, v)
			}
		}
	}
	return nil
}

// IntegerColumns returns the columns of x (of the first d) that hold integers only: what
// Options.Discrete would take for "-discrete auto".
func IntegerColumns(x *mat.Dense, d int) []int {
	var out []int
	for j := range d {
		if Integers(x, []int{j}) == nil {
			out = append(out, j)
		}
	}
	return out
}

// DiscreteNLL estimates the discrete NLL of the rows of x (nats per row) under f, whose columns
// cols were dequantized in training: the mean over rows of −(1/M) Σ_m log p(x + u_m), M = draws,
// an upper bound on −log P(x) in expectation. ctx holds the context rows (nil: none).
func DiscreteNLL(f *distributions.Flow, x, ctx *mat.Dense, cols []int, draws int, rng *rand.Rand) (float64, error) {
	if err := Integers(x, cols); err != nil {
		return 0, err
	}
	sum := 0.0
	for range max(1, draws) {
		sum += f.NLLContext(addNoise(x, cols, rng), ctx)
	}
	return sum / float64(max(1, draws)), nil
}
