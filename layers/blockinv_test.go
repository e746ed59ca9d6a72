package layers

import (
	"fmt"
	"math"
	"math/rand"
	"testing"

	"github.com/affineflow/flow/graph"
	"github.com/affineflow/flow/masks"
	"gonum.org/v1/gonum/mat"
)

// A block layer (also with context inputs) inverts in one step per block on the incremental
// path: K steps, and over the steps every hidden unit is computed exactly once. The result equals
// one full conditioner pass per block (the fallback).
func TestBlockInverseSteps(t *testing.T) {
	deg, _ := masks.Blocks([]int{3, 2, 4, 1})
	for _, c := range []int{0, 2} {
		rng := rand.New(rand.NewSource(1))
		l, err := NewAffineInjection(deg.Reverse(), AffineSettings{Hidden: []int{40, 70}, Context: c}, rng)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range l.Params() {
			for i, d := 0, p.Data(); i < len(d); i++ {
				d[i] += 0.1 * rng.NormFloat64()
			}
		}
		p, ok := planInverse(&l.Net, l.Net.effective(), l.Order.WithContext(c), l.Order.Groups(), 2)
		if !ok {
			t.Fatalf("context %d: no incremental plan", c)
		}
		if len(p.groups) != 4 {
			t.Fatalf("context %d: %d steps, want one per block (4)", c, len(p.groups))
		}
		for h, ready := range p.ready {
			// ready[k] is non-decreasing and the last step has computed every unit
			if got, want := ready[len(ready)-1], l.Net.Layers[h].W.Shape()[1]; got != want {
				t.Fatalf("context %d: hidden layer %d: %d of %d units computed", c, h, got, want)
			}
			if c > 0 && ready[0] == 0 {
				t.Fatalf("context %d: no hidden unit of degree 0 before the first step", c)
			}
		}
		x := mat.NewDense(6, 10, nil)
		x.Apply(func(_, _ int, _ float64) float64 { return rng.NormFloat64() }, x)
		var ctx *mat.Dense
		if c > 0 {
			ctx = mat.NewDense(6, c, nil)
			ctx.Apply(func(_, _ int, _ float64) float64 { return rng.NormFloat64() }, ctx)
		}
		y, _ := l.TransformContext(x, ctx)
		back, _ := l.InverseContext(y, ctx)
		ref := fullPassContext(l, y, ctx)
		if !mat.EqualApprox(back, ref, 1e-11) || !mat.EqualApprox(back, x, 1e-10) {
			t.Fatalf("context %d: incremental inverse differs from one full pass per block", c)
		}
	}
}

// fullPassContext is the reference inverse with context: one full pass of Net.Eval on [x, ctx] per
// block.
func fullPassContext(l *AffineInjection, y, ctx *mat.Dense) *mat.Dense {
	n, d := y.Dims()
	in := mat.NewDense(n, d+l.Context, nil)
	if ctx != nil {
		in.Slice(0, n, d, d+l.Context).(*mat.Dense).Copy(ctx)
	}
	ws := l.Net.Weights()
	for _, dims := range l.Order.Groups() {
		raw := l.Net.Eval(ws, in)
		for _, i := range dims {
			for r := 0; r < n; r++ {
				s := graph.SoftClampValue(raw.At(r, i), l.Clamp)
				in.Set(r, i, (y.At(r, i)-raw.At(r, d+i))*math.Exp(-s))
			}
		}
	}
	return mat.DenseCopyOf(in.Slice(0, n, 0, d))
}

// BenchmarkBlockInverse: inverting one block layer (D=63, MADE hidden [512, 512], 512 rows) in K
// steps. "full-passes" runs one whole conditioner pass per block (cost ∝ K: per dimension for
// K = D, the textbook MAF inverse); "incremental" is what Inverse does (each hidden unit computed
// once over the K steps: about one pass in all, whatever K).
func BenchmarkBlockInverse(b *testing.B) {
	const d, n = 63, 512
	for _, k := range []int{2, 4, 8, 16, 63} {
		sizes := make([]int, k)
		for i := range sizes {
			sizes[i] = d / k
			if i < d%k {
				sizes[i]++
			}
		}
		deg, _ := masks.Blocks(sizes)
		rng := rand.New(rand.NewSource(1))
		l, err := NewAffineInjection(deg, AffineSettings{Hidden: []int{512, 512}}, rng)
		if err != nil {
			b.Fatal(err)
		}
		for _, p := range l.Params() {
			for i, v := 0, p.Data(); i < len(v); i++ {
				v[i] += 0.01 * rng.NormFloat64()
			}
		}
		y := mat.NewDense(n, d, nil)
		y.Apply(func(_, _ int, _ float64) float64 { return rng.NormFloat64() }, y)
		b.Run(fmt.Sprintf("K=%d/incremental", k), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				l.Inverse(y)
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
		b.Run(fmt.Sprintf("K=%d/full-passes", k), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				a := getArena()
				x := mat.NewDense(n, d, nil)
				l.inverseFullPasses(l.Net.effective(), l.Order.Groups(), y, x.RawMatrix(), make([]float64, n), a)
				putArena(a)
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
