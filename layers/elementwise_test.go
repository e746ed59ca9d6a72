package layers_test

import (
	"math"
	"math/rand"
	"testing"

	"github.com/affineflow/flow/layers"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// TestStandardizeFrom: the map has the data's column statistics, sends the data to zero mean and
// unit standard deviation, only shifts a constant column, counts −Σ log std per row, and is
// frozen.
func TestStandardizeFrom(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	x := mat.NewDense(500, 3, nil)
	for i := range 500 {
		x.SetRow(i, []float64{1000 + 40*rng.NormFloat64(), 0.09 * rng.NormFloat64(), 7})
	}
	l := layers.StandardizeFrom(x)
	require.Nil(t, l.Params())
	y, logdet := l.Transform(x)
	col := make([]float64, 500)
	for j, want := range []float64{1, 1, 0} {
		mean, std := stat.MeanStdDev(mat.Col(col, j, y), nil)
		require.InDelta(t, 0, mean, 1e-9, "column %d", j)
		require.InDelta(t, want, std, 1e-12, "column %d", j)
	}
	_, s0 := stat.MeanStdDev(mat.Col(col, 0, x), nil)
	_, s1 := stat.MeanStdDev(mat.Col(col, 1, x), nil)
	for _, ld := range logdet {
		require.InDelta(t, -math.Log(s0)-math.Log(s1), ld, 1e-12)
	}
	back, _ := l.Inverse(y)
	require.True(t, mat.EqualApprox(back, x, 1e-9))
}
