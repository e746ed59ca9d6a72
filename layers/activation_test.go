package layers

import (
	"math"
	"runtime"
	"testing"

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
