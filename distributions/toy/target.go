package toy

import (
	"fmt"
	"math/rand"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// Target is a named 2-D distribution that can be sampled.
type Target struct {
	// Name is the short name accepted by ByName.
	Name string
	// Sample draws n points as an n×2 matrix using rng.
	Sample func(n int, rng *rand.Rand) *mat.Dense
	// LogProb is the exact log-density (nats) of each row of an m×2 matrix, or nil when the
	// target has no closed-form density.
	LogProb func(x *mat.Dense) []float64
}

// Short names of the targets, as returned in Target.Name.
const (
	NameMoons        = "moons"
	NameEightGauss   = "8gaussians"
	NameCheckerboard = "checkerboard"
	NameRings        = "rings"
	NameSpirals      = "spirals"
)

// Targets returns all five targets in a fixed order: moons, 8gaussians, checkerboard, rings,
// spirals. The slice is freshly allocated on each call.
func Targets() []Target {
	return []Target{
		{Name: NameMoons, Sample: TwoMoons},
		{Name: NameEightGauss, Sample: EightGaussians, LogProb: EightGaussiansLogProb},
		{Name: NameCheckerboard, Sample: Checkerboard, LogProb: CheckerboardLogProb},
		{Name: NameRings, Sample: Rings},
		{Name: NameSpirals, Sample: Spirals},
	}
}

// ByName returns the target with the given short name. Unknown names give an error of the form
// `toy: unknown target "x" (known: moons, 8gaussians, checkerboard, rings, spirals)`.
func ByName(name string) (Target, error) {
	ts := Targets()
	names := make([]string, len(ts))
	for i, t := range ts {
		if t.Name == name {
			return t, nil
		}
		names[i] = t.Name
	}
	return Target{}, fmt.Errorf("toy: unknown target %q (known: %s)", name, strings.Join(names, ", "))
}

// newSample validates the sampler arguments and allocates the n×2 result.
func newSample(what string, n int, rng *rand.Rand) *mat.Dense {
	if n < 1 {
		panic(fmt.Sprintf("toy: %s: n must be positive, got %d", what, n))
	}
	if rng == nil {
		panic(fmt.Sprintf("toy: %s: nil *rand.Rand", what))
	}
	return mat.NewDense(n, 2, nil)
}

// shuffleRows permutes the rows of the n×2 matrix x in place.
func shuffleRows(x *mat.Dense, rng *rand.Rand) {
	n, _ := x.Dims()
	raw := x.RawMatrix()
	rng.Shuffle(n, func(i, j int) {
		ri := raw.Data[i*raw.Stride : i*raw.Stride+2]
		rj := raw.Data[j*raw.Stride : j*raw.Stride+2]
		ri[0], rj[0] = rj[0], ri[0]
		ri[1], rj[1] = rj[1], ri[1]
	})
}

// checkPoints panics unless x is an m×2 matrix and returns m.
func checkPoints(what string, x *mat.Dense) int {
	if x == nil {
		panic(fmt.Sprintf("toy: %s: nil matrix", what))
	}
	m, c := x.Dims()
	if c != 2 {
		panic(fmt.Sprintf("toy: %s: want m×2 points, got %d×%d", what, m, c))
	}
	return m
}
