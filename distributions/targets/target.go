package targets

import (
	"fmt"
	"maps"
	"math"
	"math/rand"
	"slices"
	"strings"

	"github.com/affineflow/flow/graph"
	"gonum.org/v1/gonum/mat"
	G "gorgonia.org/gorgonia"
)

// Target is an unnormalized density p̃ on R^Dim.
type Target struct {
	Name, About string
	Dim         int
	// LogZ is log ∫ p̃ where it is known in closed form; NaN otherwise (GridLogZ integrates a 2-D
	// target).
	LogZ float64
	// Sample draws exact samples (nil when there is no exact sampler).
	Sample  func(n int, rng *rand.Rand) *mat.Dense
	formula func(a alg) val
}

// LogDensity adds log p̃(x) per row of x (N×Dim) to g (a trainer.LogDensity).
func (t Target) LogDensity(g *graph.Graph, x *G.Node) *G.Node {
	return t.formula(nodes{g: g, x: x}).(*G.Node)
}

// LogDensities returns log p̃ at every row of x (N×Dim).
func (t Target) LogDensities(x *mat.Dense) []float64 {
	if _, d := x.Dims(); d != t.Dim {
		panic(fmt.Sprintf("targets: %s has %d dimensions, x has %d columns", t.Name, t.Dim, d))
	}
	return t.formula(numbers{x: mat.DenseCopyOf(x).RawMatrix().Data, d: t.Dim}).([]float64)
}

var all = map[string]Target{}

func register(t Target) { all[t.Name] = t }

// Names returns the targets' names, sorted.
func Names() []string { return slices.Sorted(maps.Keys(all)) }

// ByName returns the target called name.
func ByName(name string) (Target, error) {
	t, ok := all[name]
	if !ok {
		return Target{}, fmt.Errorf("targets: unknown target %q (known: %s)", name, strings.Join(Names(), ", "))
	}
	return t, nil
}

// GridLogZ returns log ∫ p̃ over the square [−half, half]² of a 2-D target by the midpoint rule on
// an n×n grid (evaluated in strips of rows, in log space).
func GridLogZ(t Target, half float64, n int) float64 {
	if t.Dim != 2 {
		panic("targets: GridLogZ needs a 2-D target")
	}
	h := 2 * half / float64(n)
	x := mat.NewDense(n, 2, nil)
	acc := math.Inf(-1)
	for i := range n {
		for j := range n {
			x.Set(j, 0, -half+(float64(i)+0.5)*h)
			x.Set(j, 1, -half+(float64(j)+0.5)*h)
		}
		for _, v := range t.LogDensities(x) {
			acc = logAdd(acc, v)
		}
	}
	return acc + 2*math.Log(h)
}

func logAdd(a, b float64) float64 {
	if a < b {
		a, b = b, a
	}
	if math.IsInf(b, -1) {
		return a
	}
	return a + math.Log1p(math.Exp(b-a))
}

// gauss is −½((v − mu)/s)², the exponent of a normal density.
func gauss(a alg, v val, mu, s float64) val { return a.scale(a.square(a.shift(v, -mu)), -0.5/(s*s)) }
