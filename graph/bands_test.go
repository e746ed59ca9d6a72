package graph

import (
	"fmt"
	"math"
	"math/rand"
	"testing"

	"github.com/affineflow/flow/internal/fastblas"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
	G "gorgonia.org/gorgonia"
)

// triangular returns an r×c MADE-like mask in sorted degrees: entry (i, j) is 1 when i's degree
// (of levels) is at most j's (reversed: the input degrees descend, as in a reversed order).
func triangular(r, c, levels int, reversed bool) *mat.Dense {
	m := mat.NewDense(r, c, nil)
	for i := range r {
		di := 1 + i*levels/r
		if reversed {
			di = levels - i*levels/r
		}
		for j := range c {
			if di <= 1+j*levels/c {
				m.Set(i, j, 1)
			}
		}
	}
	return m
}

// TestBandsExact: the fused dense map with the bands of its mask gives the values and the
// gradients (of W, b and h) of the one without, in both dtypes, on masks whose bands skip work
// (sorted, reversed, a zero column group: outputs that see nothing), at batches that run the
// products on one goroutine and on several, with rows that are not a multiple of the kernels',
// through staircase GEMMs (fastblas) and through the groups' blocks (the path of a BLAS without
// staircases).
func TestBandsExact(t *testing.T) {
	for _, path := range []string{"stairs", "blocks"} {
		t.Run(path, func(t *testing.T) {
			if path == "stairs" && !stairsAvailable[float64]() {
				t.Skip("the build's BLAS takes no staircases")
			}
			if path == "blocks" {
				d, s := dgemmStair, sgemmStair
				dgemmStair, sgemmStair = nil, nil
				t.Cleanup(func() { dgemmStair, sgemmStair = d, s })
			}
			testBandsExact(t)
		})
	}
}

func testBandsExact(t *testing.T) {
	zeroGroup := triangular(96, 80, 5, false)
	for i := range 96 {
		for j := range 16 {
			zeroGroup.Set(i, j, 0)
		}
	}
	masks := map[string]*mat.Dense{
		"sorted":     triangular(256, 256, 62, false),
		"reversed":   triangular(63, 200, 62, true),
		"zero-group": zeroGroup,
		"output-map": triangular(128, 48, 7, false),
		"4KiB-rows":  triangular(512, 64, 62, false), // hᵀ of 512 columns: copied to its transpose
		"4KiB-f32":   triangular(1024, 48, 30, true),
	}
	for name, m := range masks {
		require.NotNil(t, NewBands(m), name)
		for _, rows := range []int{7, 130} {
			for _, f32 := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s/rows=%d/float32=%t", name, rows, f32), func(t *testing.T) {
					want := denseRun(t, m, rows, f32, false)
					got := denseRun(t, m, rows, f32, true)
					tol := 1e-12
					if f32 {
						tol = 1e-4 // sums of up to 1024 float32 products of N(0, 1) values
					}
					for k := range want {
						require.Len(t, got[k], len(want[k]))
						for i, w := range want[k] {
							require.InDeltaf(t, w, got[k][i], tol*math.Max(1, math.Abs(w)), "output %d entry %d", k, i)
						}
					}
				})
			}
		}
	}
	g := New()
	m := masks["sorted"]
	require.Same(t, g.BandsOf(m), g.BandsOf(m), "computed once per mask in a graph")
	require.Equal(t, NewBands(m), g.BandsOf(m))
	ones := mat.NewDense(64, 64, nil)
	ones.Apply(func(int, int, float64) float64 { return 1 }, ones)
	require.Nil(t, NewBands(ones), "a full mask: nothing to skip")
	checker := mat.NewDense(64, 64, nil)
	checker.Apply(func(i, j int, _ float64) float64 { return float64((i + j) % 2) }, checker)
	require.Nil(t, NewBands(checker), "zeros in no block: nothing to skip")
}

// denseRun returns z = h·(W ⊙ M) + b and the gradients of Σ z ⊙ R with respect to W, b and h,
// on a fresh graph, with the mask's bands or without.
func denseRun(t *testing.T, m *mat.Dense, rows int, f32, bands bool) [][]float64 {
	g, z, ps := denseGraph(t, m, rows, f32, bands)
	return runGrads(t, g, z, ps)
}

// runGrads runs g and returns the values of z and the gradients of ps.
func runGrads(t *testing.T, g *Graph, z *G.Node, ps []*Param) [][]float64 {
	vm := G.NewTapeMachine(g.ExprGraph, G.BindDualValues(g.Nodes(ps)...))
	defer vm.Close()
	require.NoError(t, vm.RunAll())
	out := [][]float64{asFloat64(z.Value().Data())}
	for _, p := range ps {
		gv, err := g.Node(p).Grad()
		require.NoError(t, err)
		out = append(out, asFloat64(gv.Data()))
	}
	return out
}

// denseMachine is denseRun's graph in a machine, for benchmarks (float64).
func denseMachine(tb testing.TB, m *mat.Dense, rows int, bands bool) (G.VM, *G.Node) {
	g, z, ps := denseGraph(tb, m, rows, false, bands)
	return G.NewTapeMachine(g.ExprGraph, G.BindDualValues(g.Nodes(ps)...)), z
}

// denseGraph builds the loss Σ (h·(W ⊙ M) + b) ⊙ R with its gradients for W, b and h.
func denseGraph(tb testing.TB, m *mat.Dense, rows int, f32, bands bool) (*Graph, *G.Node, []*Param) {
	r, c := m.Dims()
	fill := normals(rand.New(rand.NewSource(7)))
	w, b, h := NewParam("w", fill(r*c), r, c), NewParam("b", fill(c), c), NewParam("h", fill(rows*r), rows, r)
	g := New()
	g.Float32 = f32
	var bs *Bands
	if bands {
		bs = NewBands(m)
	}
	wm := g.Hadamard(g.Param(w), g.Const(m))
	z := g.Dense(g.Param(h), wm, g.Param(b), nil, false, bs)
	ps := []*Param{w, b, h}
	addLoss(tb, g, z, ps, fill)
	return g, z, ps
}

// normals returns a function that draws n standard normal values from rng.
func normals(rng *rand.Rand) func(n int) []float64 {
	return func(n int) []float64 {
		v := make([]float64, n)
		for i := range v {
			v[i] = rng.NormFloat64()
		}
		return v
	}
}

// addLoss adds the loss Σ z ⊙ R (R drawn by fill) to g with its gradients for ps.
func addLoss(tb testing.TB, g *Graph, z *G.Node, ps []*Param, fill func(int) []float64) {
	r, c := z.Shape()[0], z.Shape()[1]
	loss := G.Must(G.Sum(G.Must(G.HadamardProd(z, g.Const(mat.NewDense(r, c, fill(r*c)))))))
	if _, err := G.Grad(loss, g.Nodes(ps)...); err != nil {
		tb.Fatal(err)
	}
}

func asFloat64(v any) []float64 {
	switch v := v.(type) {
	case []float32:
		out := make([]float64, len(v))
		for i, x := range v {
			out[i] = float64(x)
		}
		return out
	case []float64:
		return append([]float64(nil), v...)
	}
	panic(fmt.Sprintf("unexpected %T", v))
}

// BenchmarkBands: one forward and backward pass of the fused dense map of a MADE hidden layer
// (256 rows, H×H, degrees 1..D−1 sorted) with and without its mask's bands.
func BenchmarkBands(b *testing.B) {
	for _, c := range []struct{ d, h int }{{8, 128}, {63, 512}} {
		m := triangular(c.h, c.h, c.d-1, false)
		for _, bands := range []bool{false, true} {
			b.Run(fmt.Sprintf("H=%d/bands=%t", c.h, bands), func(b *testing.B) {
				vm, _ := denseMachine(b, m, 256, bands)
				defer vm.Close()
				b.ResetTimer()
				for range b.N {
					if err := vm.RunAll(); err != nil {
						b.Fatal(err)
					}
					vm.Reset()
				}
			})
		}
	}
}

// TestBandsResidualRuns: with the bands, whose blocks the backward pass sets (β = 0) instead of
// clearing its buffers, a residual map whose mask has inputs no output sees (a row group without
// columns: its block of ∂h has no product and is zeroed) gives the plain map's values and
// gradients on a second run too.
func TestBandsResidualRuns(t *testing.T) {
	m := triangular(96, 96, 7, false)
	for i := range 16 {
		for j := range 96 {
			m.Set(i, j, 0)
		}
	}
	require.NotNil(t, NewBands(m))
	for _, f32 := range []bool{false, true} {
		var res [2][][]float64
		for k, bands := range []bool{false, true} {
			g := New()
			g.Float32 = f32
			fill := normals(rand.New(rand.NewSource(13)))
			w, b, h := NewParam("w", fill(96*96), 96, 96), NewParam("b", fill(96), 96), NewParam("h", fill(40*96), 40, 96)
			var bs *Bands
			if bands {
				bs = NewBands(m)
			}
			z := g.Dense(g.Param(h), g.Hadamard(g.Param(w), g.Const(m)), g.Param(b), nil, true, bs)
			ps := []*Param{w, b, h}
			addLoss(t, g, z, ps, fill)
			vm := G.NewTapeMachine(g.ExprGraph, G.BindDualValues(g.Nodes(ps)...))
			for run := 0; run < 2; run++ {
				require.NoError(t, vm.RunAll())
				vm.Reset()
				if run == 0 { // the dual values accumulate: zero them for the second run
					for _, p := range ps {
						gv, err := g.Node(p).Grad()
						require.NoError(t, err)
						clearValues(gv.Data())
					}
				}
			}
			out := [][]float64{asFloat64(z.Value().Data())}
			for _, p := range ps {
				gv, err := g.Node(p).Grad()
				require.NoError(t, err)
				out = append(out, asFloat64(gv.Data()))
			}
			res[k] = out
			vm.Close()
		}
		for k := range res[0] {
			for i, v := range res[0][k] {
				require.InDeltaf(t, v, res[1][k][i], 1e-4*math.Max(1, math.Abs(v)), "float32 %t, output %d entry %d", f32, k, i)
			}
		}
	}
}

// TestBandsKept: on a 64×64 staircase (column j needs rows 0..j) the products perform, per panel of
// nr columns (q = 64/nr panels), the union of their rows (Σ_p nr·nr(p+1) / 64² = nr²·q(q+1)/2 /
// 64²: 0.5625 for 8, 0.625 for 16), and per block of 16 columns with a BLAS without staircases
// (0.625).
func TestBandsKept(t *testing.T) {
	m := triangular(64, 64, 64, false)
	if stairsAvailable[float64]() {
		nr := fastblas.Panel[float64]()
		q := 64 / nr
		want := float64(nr*nr*q*(q+1)/2) / 64 / 64
		cols, rows := NewBands(m).Kept()
		require.InDelta(t, want, cols, 1e-15)
		require.InDelta(t, want, rows, 1e-15)
	}
	d, s := dgemmStair, sgemmStair
	dgemmStair, sgemmStair = nil, nil
	defer func() { dgemmStair, sgemmStair = d, s }()
	cols, rows := NewBands(m).Kept()
	require.InDelta(t, 0.625, cols, 1e-15)
	require.InDelta(t, 0.625, rows, 1e-15)
}
