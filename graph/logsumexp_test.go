package graph

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/floats"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// LogSumExpRows equals gonum's LogSumExp per row, also with very large and very negative entries,
// and its gradient is the softmax of each row.
func TestLogSumExpRows(t *testing.T) {
	a := []float64{1, 2, 3, -1000, -1001, -1002, 800, 0, -5, 0, 0, 0}
	g := G.NewGraph()
	x := G.NewMatrix(g, tensor.Float64, G.WithShape(4, 3), G.WithName("a"), G.WithValue(tensor.New(tensor.WithShape(4, 3), tensor.WithBacking(a))))
	w := G.NewVector(g, tensor.Float64, G.WithShape(4), G.WithName("w"), G.WithValue(tensor.New(tensor.WithShape(4), tensor.WithBacking([]float64{1, 2, -1, 0.5}))))
	lse := LogSumExpRows(x)
	loss := G.Must(G.Sum(G.Must(G.HadamardProd(lse, w))))
	_, err := G.Grad(loss, x)
	require.NoError(t, err)
	vm := G.NewTapeMachine(g, G.BindDualValues(x))
	defer vm.Close()
	require.NoError(t, vm.RunAll())
	got := lse.Value().Data().([]float64)
	gv, err := x.Grad()
	require.NoError(t, err)
	grad := gv.Data().([]float64)
	weights := []float64{1, 2, -1, 0.5}
	for r := range 4 {
		row := a[r*3 : r*3+3]
		want := floats.LogSumExp(row)
		require.InDelta(t, want, got[r], 1e-12*math.Max(1, math.Abs(want)), "row %d", r)
		for k := range 3 {
			require.InDelta(t, weights[r]*math.Exp(row[k]-want), grad[r*3+k], 1e-12, "row %d, column %d", r, k)
		}
	}
}
