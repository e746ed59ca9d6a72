package graph

import (
	"fmt"
	"math"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
	G "gorgonia.org/gorgonia"
)

// TestPermuteCols: a masked map whose W ⊙ M and b are reordered before the product (by
// PermuteCols, or by HadamardCols as Net.NodeCols' fused path does), with the bands of the
// reordered mask, gives the values and the gradients (of W, a soft mask, b and h) of the map
// without bands whose output is reordered after it (the plain path), in both dtypes. The mask is a MADE output map in blocks of D: its bands skip nothing until its
// columns are interleaved.
func TestPermuteCols(t *testing.T) {
	const hidden, d, p = 96, 12, 5
	out := triangular(hidden, d, d, false)
	m := mat.NewDense(hidden, p*d, nil) // P blocks of D columns
	perm := make([]int, p*d)            // each dimension's P values side by side
	for k := range p {
		m.Slice(0, hidden, k*d, (k+1)*d).(*mat.Dense).Copy(out)
		for i := range d {
			perm[i*p+k] = k*d + i
		}
	}
	bs := NewBands(m)
	require.True(t, bs == nil || bs.cols == nil, "in blocks of D every column group needs every row")
	g := New()
	require.NotNil(t, g.BandsOfCols(m, perm).cols, "interleaved, the column groups need fewer rows")
	require.Same(t, g.BandsOfCols(m, perm), g.BandsOfCols(m, perm), "computed once per mask and order")

	for _, rows := range []int{7, 130} {
		for _, f32 := range []bool{false, true} {
			want := permuteRun(t, m, perm, rows, f32, "after")
			for _, how := range []string{"permute", "hadamard-cols"} {
				t.Run(fmt.Sprintf("%s/rows=%d/float32=%t", how, rows, f32), func(t *testing.T) {
					got := permuteRun(t, m, perm, rows, f32, how)
					tol := 1e-12
					if f32 {
						tol = 1e-4
					}
					for k := range want {
						require.Len(t, got[k], len(want[k]))
						for i, w := range want[k] {
							if k == 2 && m.RawMatrix().Data[i] == 0 {
								continue // ∂L/∂S off the support: the bands skip it (S is 0 there)
							}
							require.InDeltaf(t, w, got[k][i], tol*math.Max(1, math.Abs(w)), "output %d entry %d", k, i)
						}
					}
				})
			}
		}
	}
}

// permuteRun returns z = (h·(W ⊙ S) + b)[:, perm] and the gradients of Σ z ⊙ R with respect to
// W, the soft mask S (random values on m's support) b and h: with how "after" the output
// reordered after the map (no bands); "permute" W ⊙ S and b reordered before the product by
// PermuteCols, "hadamard-cols" W ⊙ S by HadamardCols (both with the reordered mask's bands).
func permuteRun(t *testing.T, m *mat.Dense, perm []int, rows int, f32 bool, how string) [][]float64 {
	r, c := m.Dims()
	rng := rand.New(rand.NewSource(7))
	fill := normals(rng)
	w, b, h := NewParam("w", fill(r*c), r, c), NewParam("b", fill(c), c), NewParam("h", fill(rows*r), rows, r)
	soft := NewParam("s", nil, r, c)
	for k, v := range m.RawMatrix().Data {
		soft.Data()[k] = v * (0.5 + rng.Float64()/2)
	}
	g := New()
	g.Float32 = f32
	var z *G.Node
	switch how {
	case "after":
		z = g.PermuteCols(g.Dense(g.Param(h), g.Hadamard(g.Param(w), g.Param(soft)), g.Param(b), nil, false, nil), perm)
	case "permute":
		wm := g.PermuteCols(g.Hadamard(g.Param(w), g.Param(soft)), perm)
		z = g.Dense(g.Param(h), wm, g.PermuteCols(g.Param(b), perm), nil, false, g.BandsOfCols(m, perm))
	case "hadamard-cols":
		wm := g.HadamardCols(g.Param(w), g.Param(soft), perm)
		z = g.Dense(g.Param(h), wm, g.PermuteCols(g.Param(b), perm), nil, false, g.BandsOfCols(m, perm))
	}
	ps := []*Param{w, soft, b, h}
	addLoss(t, g, z, ps, fill)
	return runGrads(t, g, z, ps)
}
