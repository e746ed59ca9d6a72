package layers_test

import (
	"math"
	"testing"

	"github.com/affineflow/flow/layers"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// The bounded map sends its box onto the real line and back: far noise values come back inside
// the bounds, values outside the bounds have no density, and bad bounds are refused.
func TestBounded(t *testing.T) {
	inf := math.Inf(1)
	l, err := layers.NewBounded([]float64{0, -inf}, []float64{1, inf})
	require.NoError(t, err)
	y := mat.NewDense(3, 2, []float64{-800, 5, 0, -5, 800, 7})
	x, _ := l.Inverse(y)
	for r := range 3 {
		v := x.At(r, 0)
		require.True(t, v >= 0 && v <= 1, "row %d: %g outside [0, 1]", r, v)
		require.Equal(t, y.At(r, 1), x.At(r, 1), "an unbounded column is passed through")
	}
	require.InDelta(t, 0.5, x.At(1, 0), 1e-15)
	_, ld := l.Transform(mat.NewDense(2, 2, []float64{1.5, 0, -0.1, 0}))
	for r, v := range ld {
		require.False(t, v > -math.MaxFloat64 && v < math.MaxFloat64, "row %d outside the bounds: log-det %g, want NaN or ±Inf", r, v)
	}
	for _, b := range [][2][]float64{{{1}, {1}}, {{0}, {inf}}, {{math.NaN()}, {1}}, {{0, 0}, {1}}, {{2}, {1}}} {
		_, err := layers.NewBounded(b[0], b[1])
		require.Error(t, err, "%v", b)
	}
}
