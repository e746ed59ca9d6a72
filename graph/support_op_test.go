package graph

import (
	"math/rand"
	"testing"

	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
	G "gorgonia.org/gorgonia"
)

// OnSpans(W, spans of M) is W ⊙ M for a 0/1 mask M, in value and in the gradient of W (the loss
// Σ (W ⊙ M) ⊙ R), in both dtypes over two runs; Binary tells 0/1 masks from others.
func TestOnSpans(t *testing.T) {
	m := triangular(12, 20, 5, false)
	require.True(t, New().Binary(m))
	half := mat.DenseCopyOf(m)
	half.Set(3, 19, 0.5)
	require.False(t, New().Binary(half))
	for _, f32 := range []bool{false, true} {
		fill := normals(rand.New(rand.NewSource(8)))
		w := NewParam("w", fill(12*20), 12, 20)
		r := mat.NewDense(12, 20, fill(12*20))
		results := make([][2][]float64, 2) // by op: the product and the gradient of W
		for k, spans := range []bool{false, true} {
			g := New()
			g.Float32 = f32
			g.Restrict(w, m)
			var z *G.Node
			if spans {
				z = g.OnSpans(g.Param(w), g.Spans(w))
			} else {
				z = g.Hadamard(g.Param(w), g.Const(m))
			}
			var zv G.Value
			G.Read(z, &zv)
			loss := G.Must(G.Sum(G.Must(G.HadamardProd(z, g.Const(r)))))
			_, err := G.Grad(loss, g.Param(w))
			require.NoError(t, err)
			vm := G.NewTapeMachine(g.ExprGraph, G.BindDualValues(g.Param(w)))
			for run := 0; run < 2; run++ {
				require.NoError(t, vm.RunAll())
				gv, err := g.Param(w).Grad()
				require.NoError(t, err)
				results[k] = [2][]float64{asFloat64(zv.Data()), asFloat64(gv.Data())}
				vm.Reset()
			}
			vm.Close()
		}
		require.Equal(t, results[0][0], results[1][0], "float32 %t: W ⊙ M", f32)
		require.Equal(t, results[0][1], results[1][1], "float32 %t: the gradient of W", f32)
	}
}
