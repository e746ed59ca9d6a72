package layers

import (
	"math"
	"math/rand"
	"runtime"
	"testing"

	"github.com/affineflow/flow/graph"
	"github.com/stretchr/testify/require"
)

// TestReLUApply: the numeric ReLU is max(x, 0) with NaN kept, including the negative NaN of
// Inf − Inf on amd64 (made at run time), and +0 for −0.
func TestReLUApply(t *testing.T) {
	infs := []float64{math.Inf(1), math.Inf(-1)}
	runtimeNaN := infs[0] + infs[1] // Inf − Inf, not folded by the compiler
	if runtime.GOARCH == "amd64" {
		require.True(t, math.Signbit(runtimeNaN), "amd64 Inf-Inf should be a negative NaN")
	}
	nan := math.NaN()
	for _, c := range []struct {
		name    string
		x, want float64
	}{
		{"positive", 1.5, 1.5},
		{"tiny positive", 5e-324, 5e-324},
		{"negative", -2, 0},
		{"+0", 0, 0},
		{"-0", math.Copysign(0, -1), 0},
		{"+Inf", math.Inf(1), math.Inf(1)},
		{"-Inf", math.Inf(-1), 0},
		{"NaN", nan, nan},
		{"negative NaN", math.Float64frombits(0xfff8000000000000), nan},
		{"Inf-Inf NaN", runtimeNaN, nan},
	} {
		t.Run(c.name, func(t *testing.T) {
			v := []float64{c.x}
			ReLU.Apply(v)
			if math.IsNaN(c.want) {
				require.True(t, math.IsNaN(v[0]), "relu(%g) = %g, want NaN", c.x, v[0])
				return
			}
			require.Equal(t, math.Float64bits(c.want), math.Float64bits(v[0]), "relu(%g) = %g, want %g", c.x, v[0], c.want)
		})
	}
}

// TestActivationsKeepNaN: no activation turns a NaN (of either sign) into a number, so a diverging
// model stays visible to the trainer's non-finite checks.
func TestActivationsKeepNaN(t *testing.T) {
	infs := []float64{math.Inf(1), math.Inf(-1)}
	for _, a := range Activations {
		t.Run(string(a), func(t *testing.T) {
			v := []float64{math.NaN(), infs[0] + infs[1], math.Float64frombits(0xfff8000000000000)}
			a.Apply(v)
			for i, x := range v {
				require.True(t, math.IsNaN(x), "element %d: got %g", i, x)
			}
		})
	}
}

// TestVectorActivations: ReLU, tanh and sigmoid (internal/vmath, a vector at a time) give the
// bits of their scalar definitions, in float64 and in float32 (the float64 value rounded once),
// over more values than the float32 buffer holds and with every tail length; so does the ReLU
// gradient.
func TestVectorActivations(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	xs := []float64{0, math.Copysign(0, -1), math.NaN(), math.Inf(1), math.Inf(-1), 1e-300, -1e-300, 50, -50}
	for len(xs) < 1203 {
		xs = append(xs, 3*rng.NormFloat64())
	}
	ref := map[Activation]func(float64) float64{
		ReLU:    graph.ReLUValue,
		Tanh:    math.Tanh,
		Sigmoid: func(x float64) float64 { return 1 / (1 + math.Exp(-x)) },
	}
	same := func(a, b float64) bool {
		return math.Float64bits(a) == math.Float64bits(b) || math.IsNaN(a) && math.IsNaN(b)
	}
	for a, f := range ref {
		for _, n := range []int{1, 3, 4, 7, 8, 9, 511, 512, 513, len(xs)} {
			v := append([]float64(nil), xs[:n]...)
			v32 := make([]float32, n)
			for i, x := range v {
				v32[i] = float32(x)
			}
			a.Apply(v)
			a.Apply32(v32)
			for i, x := range xs[:n] {
				require.True(t, same(v[i], f(x)), "%s(%g) = %g, want %g", a, x, v[i], f(x))
				want := float32(f(float64(float32(x))))
				require.True(t, same(float64(v32[i]), float64(want)) && (math.IsNaN(float64(want)) || math.Float32bits(v32[i]) == math.Float32bits(want)),
					"float32 %s(%g) = %g, want %g", a, float32(x), v32[i], want)
			}
		}
	}
	g := make([]float64, len(xs))
	for i := range g {
		g[i] = rng.NormFloat64()
	}
	got := append([]float64(nil), g...)
	ReLU.Grad(xs, got, got)
	for i, x := range xs {
		require.True(t, same(got[i], graph.ReLUGradValue(x, g[i])), "relu'(%g)·%g = %g", x, g[i], got[i])
	}
	// out of place, every activation: the in-place bits, and g left as it was
	outs := append([]float64(nil), xs...)
	for _, a := range Activations {
		a.Apply(outs)
		in, gIn, dst := append([]float64(nil), g...), append([]float64(nil), g...), make([]float64, len(g))
		a.Grad(outs, in, in)
		a.Grad(outs, gIn, dst)
		in32, dst32, g32 := make([]float32, len(g)), make([]float32, len(g)), make([]float32, len(g))
		o32 := make([]float32, len(g))
		for i := range g {
			in32[i], g32[i], o32[i] = float32(g[i]), float32(g[i]), float32(outs[i])
		}
		a.Grad32(o32, in32, in32)
		a.Grad32(o32, g32, dst32)
		for i := range g {
			require.True(t, same(dst[i], in[i]), "%s: out of place %g, in place %g", a, dst[i], in[i])
			require.True(t, same(float64(dst32[i]), float64(in32[i])), "%s float32: out of place %g, in place %g", a, dst32[i], in32[i])
			require.Equal(t, g[i], gIn[i], "%s: the gradient operand was written", a)
		}
		outs = append(outs[:0], xs...)
	}
}
