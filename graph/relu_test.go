package graph

import (
	"math"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// reluCase is one input x with its upstream gradient g, and the expected relu(x) and g·[x > 0].
type reluCase struct {
	name          string
	x, g          float64
	fwd, backward float64
}

// reluCases covers ordinary values, ±0, ±Inf and NaNs of both signs. The NaN of Inf − Inf is made
// at run time (amd64 gives it the sign bit, the case the old bit trick turned into 0).
func reluCases(t *testing.T) []reluCase {
	infs := []float64{math.Inf(1), math.Inf(-1)}
	runtimeNaN := infs[0] + infs[1] // Inf − Inf, not folded by the compiler
	if runtime.GOARCH == "amd64" {
		require.True(t, math.Signbit(runtimeNaN), "amd64 Inf-Inf should be a negative NaN")
	}
	nan := math.NaN()
	negNaN := math.Float64frombits(0xfff8000000000000)
	return []reluCase{
		{"positive", 1.5, 3, 1.5, 3},
		{"tiny positive", 5e-324, 3, 5e-324, 3},
		{"negative", -2, 3, 0, 0},
		{"tiny negative", -5e-324, 3, 0, 0},
		{"+0", 0, 3, 0, 0},
		{"-0", math.Copysign(0, -1), 3, 0, 0},
		{"+Inf", math.Inf(1), 3, math.Inf(1), 3},
		{"-Inf", math.Inf(-1), 3, 0, 0},
		{"NaN", nan, 3, nan, nan},
		{"negative NaN", negNaN, 3, nan, nan},
		{"Inf-Inf NaN", runtimeNaN, 3, nan, nan},
		{"positive with NaN gradient", 2, nan, 2, nan},
		{"negative with NaN gradient", -2, nan, 0, 0},
	}
}

// requireSame requires got to be NaN when want is, else to have want's bits (so −0 ≠ +0).
func requireSame(t *testing.T, want, got float64, what string) {
	t.Helper()
	if math.IsNaN(want) {
		require.True(t, math.IsNaN(got), "%s: got %g, want NaN", what, got)
		return
	}
	require.Equal(t, math.Float64bits(want), math.Float64bits(got), "%s: got %g, want %g", what, got, want)
}

func vec(v float64) *tensor.Dense {
	return tensor.New(tensor.WithShape(1, 1), tensor.WithBacking([]float64{v}))
}

func TestReLUOps(t *testing.T) {
	for _, c := range reluCases(t) {
		t.Run(c.name, func(t *testing.T) {
			y, err := reluOp{}.Do(vec(c.x))
			require.NoError(t, err)
			requireSame(t, c.fwd, y.Data().([]float64)[0], "relu")
			d, err := reluGradOp{}.Do(vec(c.x), vec(c.g))
			require.NoError(t, err)
			requireSame(t, c.backward, d.Data().([]float64)[0], "relu gradient")
		})
	}
}

// TestReLUGraph runs ReLU in a graph, loss = Σ g ⊙ ReLU(x), so that ∂loss/∂x = g·[x > 0].
func TestReLUGraph(t *testing.T) {
	cs := reluCases(t)
	xs, gs := make([]float64, len(cs)), make([]float64, len(cs))
	for i, c := range cs {
		xs[i], gs[i] = c.x, c.g
	}
	g := New()
	x := NewParam("x", xs, 1, len(cs))
	y := ReLU(g.Param(x))
	w := G.NewMatrix(g.ExprGraph, G.Float64, G.WithShape(1, len(cs)), G.WithName("w"),
		G.WithValue(tensor.New(tensor.WithShape(1, len(cs)), tensor.WithBacking(gs))))
	loss := G.Must(G.Sum(G.Must(G.HadamardProd(y, w))))
	_, err := G.Grad(loss, g.Node(x))
	require.NoError(t, err)
	var fwd G.Value
	G.Read(y, &fwd)
	vm := G.NewTapeMachine(g.ExprGraph, G.BindDualValues(g.Node(x)))
	defer vm.Close()
	require.NoError(t, vm.RunAll())
	dx, err := g.Node(x).Grad()
	require.NoError(t, err)
	for i, c := range cs {
		t.Run(c.name, func(t *testing.T) {
			requireSame(t, c.fwd, fwd.Data().([]float64)[i], "relu")
			requireSame(t, c.backward, dx.Data().([]float64)[i], "relu gradient")
		})
	}
}
