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

// A layer rebuilt from its values keeps them: training data does not re-initialize it.
func TestNewElementwiseAffine(t *testing.T) {
	l := layers.NewElementwiseAffine([]float64{1, -2}, []float64{0.5, 0}, false)
	l.InitFromData(mat.NewDense(3, 2, []float64{10, 20, 30, 40, 50, 60}))
	require.Equal(t, []float64{1, -2}, l.Shift.Data())
	require.Equal(t, []float64{0.5, 0}, l.LogScale.Data())
	require.Len(t, l.Params(), 2, "an ActNorm trains")
	require.Empty(t, layers.NewElementwiseAffine([]float64{0}, []float64{0}, true).Params(), "a frozen map does not")
}
