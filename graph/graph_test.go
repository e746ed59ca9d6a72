package graph

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

func TestParamSharesMemory(t *testing.T) {
	p := NewParam("w", []float64{1, 2, 3, 4, 5, 6}, 2, 3)
	p.Mat().Set(1, 2, 60)
	assert.Equal(t, 60.0, p.Data()[5])
	assert.Equal(t, 60.0, p.T.Data().([]float64)[5])
	v := NewParam("b", nil, 3)
	assert.Equal(t, []int{3}, v.Shape())
	r, c := v.Mat().Dims()
	assert.Equal(t, [2]int{1, 3}, [2]int{r, c})
}

// TestMaskedDenseGradient checks value and gradient of sum(h·(W⊙M)+b) against hand-derived ones, and
// that the node's value is the param's memory (a change to the slice is seen by the next run).
func TestMaskedDenseGradient(t *testing.T) {
	g := New()
	w := NewParam("w", []float64{1, 2, 3, 4}, 2, 2)
	b := NewParam("b", []float64{10, 20}, 2)
	x := g.Input("x", 3, 2)
	m := g.Const(mat.NewDense(2, 2, []float64{1, 0, 1, 1}))
	y := MaskedDense(x, g.Param(w), m, g.Param(b))
	loss := G.Must(G.Sum(y))
	_, err := G.Grad(loss, g.Nodes([]*Param{w, b})...)
	require.NoError(t, err)
	vm := G.NewTapeMachine(g.ExprGraph, G.BindDualValues(g.Nodes([]*Param{w, b})...))
	defer vm.Close()
	xs := tensor.New(tensor.WithShape(3, 2), tensor.WithBacking([]float64{1, 1, 2, 0, 0, 3}))
	require.NoError(t, G.Let(x, xs))
	require.NoError(t, vm.RunAll())
	// W⊙M = [[1,0],[3,4]]; row sums of x: col0 = 1+2+0 = 3, col1 = 1+0+3 = 4.
	// y sum = sum_n (x_n0*1 + x_n1*3) + sum_n (x_n1*4) + 3*(10+20) = 3 + 12 + 16 + 90 = 121
	assert.InDelta(t, 121.0, loss.Value().Data().(float64), 1e-12)
	gw2, _ := g.Node(w).Grad()
	assert.Equal(t, []float64{3, 0, 4, 4}, gw2.Data().([]float64))
	gb, _ := g.Node(b).Grad()
	assert.Equal(t, []float64{3, 3}, gb.Data().([]float64))
	vm.Reset()

	w.Data()[0] = 2 // shared memory: next run sees it
	require.NoError(t, G.Let(x, xs))
	require.NoError(t, vm.RunAll())
	assert.InDelta(t, 124.0, loss.Value().Data().(float64), 1e-12)
}

func TestFillAndSoftClamp(t *testing.T) {
	g := New()
	s := NewParam("s", []float64{0.5, 1.5}, 2)
	f := g.Fill(G.Must(G.Sum(g.Param(s))), 3)
	c := SoftClamp(g.Param(s), 1)
	vm := G.NewTapeMachine(g.ExprGraph)
	defer vm.Close()
	require.NoError(t, vm.RunAll())
	assert.Equal(t, []float64{2, 2, 2}, f.Value().Data().([]float64))
	got := c.Value().Data().([]float64)
	assert.InDelta(t, SoftClampValue(1.5, 1), got[1], 1e-15)
	assert.InDelta(t, 0.7615941559557649, SoftClampValue(1, 1), 1e-15)
}

func TestTry(t *testing.T) {
	err := Try(func() { panic("boom") })
	require.EqualError(t, err, "graph: boom")
	require.NoError(t, Try(func() {}))
}

func TestParamVersion(t *testing.T) {
	p := NewParam("w", nil, 2)
	assert.Equal(t, uint64(0), p.Version())
	p.Data()[0] = 1
	p.Touch()
	p.Touch()
	assert.Equal(t, uint64(2), p.Version())
}
