package graph

import (
	"math/rand"
	"testing"

	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
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

// In float32 and private graphs SyncSpans leaves the copy of a restricted W as W ⊙ M (zeros off
// the support), and OnSpans passes that copy on instead of copying it; before the first sync,
// and after a sync of other spans (which may copy values off the support), it copies. W ⊙ M is
// right in every case, with a nonzero W off the support.
func TestOnSpansShadow(t *testing.T) {
	m := triangular(12, 20, 5, false)
	for _, f32 := range []bool{false, true} {
		fill := normals(rand.New(rand.NewSource(9)))
		w := NewParam("w", fill(12*20), 12, 20)
		g := New()
		g.Float32, g.Private = f32, !f32
		g.Restrict(w, m)
		z := g.OnSpans(g.Param(w), g.Spans(w))
		vm := G.NewTapeMachine(g.ExprGraph)
		run := func(what string, alias bool) {
			require.NoError(t, vm.RunAll())
			vm.Reset()
			zv := z.Value() // not G.Read's copy
			want := mat.NewDense(12, 20, nil)
			want.MulElem(w.Mat(), m)
			wantData := want.RawMatrix().Data
			if f32 {
				for i, v := range wantData {
					wantData[i] = float64(float32(v))
				}
			}
			require.Equalf(t, wantData, asFloat64(zv.Data()), "float32 %t, %s: W ⊙ M", f32, what)
			require.Equalf(t, alias, zv == g.Param(w).Value(), "float32 %t, %s: W ⊙ M is the copy of W", f32, what)
		}
		run("before a sync", false)
		g.SyncParams()
		run("after a sync", true)
		off := -1 // a value off the support
		for i, v := range m.RawMatrix().Data {
			if v == 0 {
				off = i
				break
			}
		}
		require.GreaterOrEqual(t, off, 0)
		w.Data()[off] = 3
		g.SyncSpans(func(*Param) []Span { return []Span{{0, w.Len()}} })
		run("after a sync of other spans", false)
		g.SyncSpans(func(p *Param) []Span { return g.Spans(p) })
		run("after a sync of the support", false)
		g.SyncParams()
		run("after a sync of all", true)
		vm.Close()
	}
}

// SyncSpansWritten leaves a written copy as it is (Copy32), except one SyncSpans would clear (all
// of a restricted parameter to sync), which it copies: the support, zeros elsewhere.
func TestSyncSpansWritten(t *testing.T) {
	m := triangular(12, 20, 5, false)
	w := NewParam("w", normals(rand.New(rand.NewSource(11)))(12*20), 12, 20)
	g := New()
	g.Float32 = true
	g.Restrict(w, m)
	g.Param(w)
	c := g.Copy32(w)
	require.Len(t, c, w.Len())
	require.Nil(t, New().Copy32(w), "a float64 graph has no float32 copies")
	always := func(*Param) bool { return true }
	for i := range c {
		c[i] = 7
	}
	g.SyncSpansWritten(func(p *Param) []Span { return g.Spans(p) }, always)
	for i, v := range c {
		require.Equalf(t, float32(7), v, "a written copy was copied: value %d", i)
	}
	g.SyncSpansWritten(nil, always)
	for i, v := range c {
		require.Equalf(t, float32(w.Data()[i]*m.RawMatrix().Data[i]), v, "a cleared copy: value %d", i)
	}
}

// In a float64 graph OnSpans passes on W itself when SyncSpans found it zero off the support (and
// spans stayed the support since), and copies otherwise.
func TestOnSpansZeroOff(t *testing.T) {
	m := triangular(12, 20, 5, false)
	fill := normals(rand.New(rand.NewSource(10)))
	w := NewParam("w", fill(12*20), 12, 20)
	g := New()
	g.Restrict(w, m)
	z := g.OnSpans(g.Param(w), g.Spans(w))
	vm := G.NewTapeMachine(g.ExprGraph)
	defer vm.Close()
	run := func(what string, alias bool) {
		require.NoError(t, vm.RunAll())
		vm.Reset()
		want := mat.NewDense(12, 20, nil)
		want.MulElem(w.Mat(), m)
		require.Equalf(t, want.RawMatrix().Data, z.Value().Data(), "%s: W ⊙ M", what)
		require.Equalf(t, alias, z.Value() == G.Value(w.T), "%s: W ⊙ M is W", what)
	}
	support := func(p *Param) []Span { return g.Spans(p) }
	run("before a sync", false)
	g.SyncParams()
	run("after a sync, W nonzero off the support", false)
	for i, v := range m.RawMatrix().Data {
		if v == 0 {
			w.Data()[i] = 0
		}
	}
	g.SyncSpans(support)
	run("W zeroed, then a sync of the support", false)
	g.SyncParams()
	run("after a sync of all", true)
	g.SyncSpans(support)
	run("after a sync of the support", true)
	g.SyncSpans(func(*Param) []Span { return []Span{{0, w.Len()}} })
	run("after a sync of other spans", false)
	g.SyncParams()
	run("after a sync of all, again", true)
}

// OnSpans' gradient op gives the operand on the spans, zero elsewhere: in place when the machine
// hands it the operand's register, into a buffer of its own otherwise (the operand untouched).
func TestOnSpansGradInPlace(t *testing.T) {
	m := triangular(6, 10, 3, false)
	g := New()
	w := NewParam("w", nil, 6, 10)
	g.Restrict(w, m)
	op := spanGradOp[float64]{newSpanOp(g.Param(w), g.Spans(w), nil).(spanOp[float64])}
	fill := normals(rand.New(rand.NewSource(12)))
	want := mat.NewDense(6, 10, fill(60))
	x := tensor.New(tensor.WithShape(6, 10), tensor.WithBacking(append([]float64(nil), want.RawMatrix().Data...)))
	want.MulElem(want, m)
	other := tensor.New(tensor.WithShape(6, 10), tensor.Of(tensor.Float64))
	got, err := op.UsePreallocDo(other, x)
	require.NoError(t, err)
	require.NotSame(t, x, got)
	require.Equal(t, want.RawMatrix().Data, got.Data())
	require.NotEqual(t, want.RawMatrix().Data, x.Data(), "the operand was changed")
	got, err = op.UsePreallocDo(x, x)
	require.NoError(t, err)
	require.Same(t, x, got)
	require.Equal(t, want.RawMatrix().Data, got.Data())
}
