package dataset

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

func mustDense(r, c int, v ...float64) *mat.Dense { return mat.NewDense(r, c, v) }

func TestMeanStd(t *testing.T) {
	cases := []struct {
		name      string
		x         *mat.Dense
		mean, std []float64
	}{
		// Sample std of 1,2,3,4: sqrt(((1.5²+0.5²)·2)/3) = sqrt(5/3).
		{"sample std", mustDense(4, 3, 1, 10, 7, 2, 20, 7, 3, 30, 7, 4, 40, 7),
			[]float64{2.5, 25, 7}, []float64{math.Sqrt(5.0 / 3), 10 * math.Sqrt(5.0/3), 0}},
		{"two rows", mustDense(2, 1, -1, 1), []float64{0}, []float64{math.Sqrt2}},
		{"one row", mustDense(1, 2, 3, 4), []float64{3, 4}, []float64{math.NaN(), math.NaN()}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mean, std := MeanStd(c.x)
			require.InDeltaSlice(t, c.mean, mean, 1e-12)
			require.Len(t, std, len(c.std))
			for j := range std {
				if math.IsNaN(c.std[j]) {
					require.True(t, math.IsNaN(std[j]), "column %d", j)
					continue
				}
				require.InDelta(t, c.std[j], std[j], 1e-12, "column %d", j)
			}
		})
	}
}

func TestMeanStdView(t *testing.T) {
	// A strided view gives the same answer as a copy.
	x := mustDense(3, 3, 1, 2, 100, 3, 4, 100, 5, 6, 100)
	v := x.Slice(0, 3, 0, 2).(*mat.Dense)
	mean, std := MeanStd(v)
	require.Equal(t, []float64{3, 4}, mean)
	require.InDeltaSlice(t, []float64{2, 2}, std, 1e-12)
}
