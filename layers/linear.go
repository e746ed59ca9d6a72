package layers

import (
	"fmt"
	"math"
	"math/rand"
	"sync/atomic"

	"github.com/affineflow/flow/graph"
	"github.com/affineflow/flow/masks"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
	G "gorgonia.org/gorgonia"
)

// Linear is the invertible linear map y = x·W + b with W in LU form (Kingma & Dhariwal 2018):
//
//	W = P · (L ⊙ strictly-lower + I) · (U ⊙ strictly-upper + diag(sign ⊙ exp(LogDiag))),
//	log|det W| = Σ LogDiag,
//
// P a fixed permutation and sign a fixed ±1 vector. Inverse is x = (y - b)·W⁻¹, computed by
// triangular solves with the factors.
//
// Transform and Inverse cache the factors and W per parameter version (weightcache.go): Touch a
// parameter after writing its values; P is compared by pointer (replace it, do not edit it in
// place). Use the map by pointer (it must not be copied after first use).
//
// With Blocks set (see NewBlockLinear) the map is block-diagonal: only the entries of L and U
// whose row and column lie in the same block are used, and P permutes inside blocks, so W mixes
// dimensions only inside each block and log|det W| is still Σ LogDiag.
type Linear struct {
	Lower, Upper *graph.Param // D×D; only the strictly lower / upper parts are used
	LogDiag, B   *graph.Param // D
	P            *mat.Dense   // D×D permutation
	Sign         []float64    // D, each ±1
	// Blocks, when non-nil, holds a block number per dimension (the degrees of a block order,
	// masks.Blocks): W[i][j] may be non-zero only when Blocks[i] == Blocks[j]. nil: a full map.
	Blocks masks.Degrees

	cache atomic.Pointer[linearCache] // factors, W and π for Transform and Inverse (weightcache.go)
}

// NewLinear returns a Linear map initialized to a random rotation (identity when rng is nil).
func NewLinear(d int, rng *rand.Rand) *Linear {
	w := mat.NewDense(d, d, nil)
	if rng == nil {
		for i := 0; i < d; i++ {
			w.Set(i, i, 1)
		}
	} else {
		g := mat.NewDense(d, d, nil)
		g.Apply(func(_, _ int, _ float64) float64 { return rng.NormFloat64() }, g)
		var qr mat.QR
		qr.Factorize(g)
		qr.QTo(w)
	}
	l, err := NewLinearFromWeight(w, make([]float64, d))
	if err != nil {
		panic(err) // a rotation is never singular
	}
	return l
}

// NewLinearFromWeight factorizes a given D×D weight (W = P·L·U) into a trainable Linear map.
func NewLinearFromWeight(w *mat.Dense, bias []float64) (*Linear, error) {
	d, c := w.Dims()
	if d != c || len(bias) != d {
		return nil, fmt.Errorf("layers: linear weight is %d×%d with %d biases, want D×D and D", d, c, len(bias))
	}
	var lu mat.LU
	lu.Factorize(w)
	var l, u mat.TriDense
	lu.LTo(&l)
	lu.UTo(&u)
	var pm mat.Dense
	pm.Permutation(d, lu.RowPivots(nil))
	// mat.LU gives Pᵀ-style pivots: w = pm·L·U after transposing when needed; verify below.
	p := mat.DenseCopyOf(pm.T())
	lin := &Linear{
		Lower:   graph.NewParam("linear.L", nil, d, d),
		Upper:   graph.NewParam("linear.U", nil, d, d),
		LogDiag: graph.NewParam("linear.logdiag", nil, d),
		B:       graph.NewParam("linear.b", append([]float64(nil), bias...), d),
		Sign:    make([]float64, d),
	}
	lm, um, ld := lin.Lower.Mat(), lin.Upper.Mat(), lin.LogDiag.Data()
	for i := 0; i < d; i++ {
		for j := 0; j < d; j++ {
			switch {
			case j < i:
				lm.Set(i, j, l.At(i, j))
			case j > i:
				um.Set(i, j, u.At(i, j))
			default:
				v := u.At(i, i)
				if v == 0 || math.IsNaN(v) {
					return nil, fmt.Errorf("layers: linear weight is singular (pivot %d is %g)", i, v)
				}
				ld[i] = math.Log(math.Abs(v))
				lin.Sign[i] = math.Copysign(1, v)
			}
		}
	}
	for _, cand := range []*mat.Dense{p, &pm} {
		lin.P = cand
		if mat.EqualApprox(lin.Weight(), w, 1e-9*(1+mat.Norm(w, math.Inf(1)))) {
			return lin, nil
		}
	}
	return nil, fmt.Errorf("layers: linear weight could not be factorized")
}

// Weight returns W = P·L·U computed from the parameters.
func (l *Linear) Weight() *mat.Dense {
	lo, up := l.factors()
	d := l.Dim()
	w := mat.NewDense(d, d, nil)
	w.Product(l.P, lo, up)
	return w
}

// factors returns the D×D factors of W = P·L·U as dense matrices: L = (Lower ⊙ strictly-lower) + I
// and U = (Upper ⊙ strictly-upper) + diag(sign ⊙ exp(LogDiag)), the entries outside the blocks
// zero when Blocks is set.
func (l *Linear) factors() (lo, up *mat.Dense) {
	d := l.Dim()
	lo, up = mat.NewDense(d, d, nil), mat.NewDense(d, d, nil)
	lm, um, ld := l.Lower.Mat(), l.Upper.Mat(), l.LogDiag.Data()
	for i := 0; i < d; i++ {
		for j := 0; j < d; j++ {
			switch {
			case j < i && l.sameBlock(i, j):
				lo.Set(i, j, lm.At(i, j))
			case j > i && l.sameBlock(i, j):
				up.Set(i, j, um.At(i, j))
			default:
				lo.Set(i, i, 1)
				up.Set(i, i, l.Sign[i]*math.Exp(ld[i]))
			}
		}
	}
	return lo, up
}

// Dim returns D.
func (l *Linear) Dim() int { return l.B.Len() }

// Params returns L, U, LogDiag and the bias.
func (l *Linear) Params() []*graph.Param { return []*graph.Param{l.Lower, l.Upper, l.LogDiag, l.B} }

// Pattern is full (every output may depend on every input), or block-diagonal with Blocks.
func (l *Linear) Pattern() *mat.Dense {
	d := l.Dim()
	p := mat.NewDense(d, d, nil)
	p.Apply(func(i, j int, _ float64) float64 {
		if l.sameBlock(i, j) {
			return 1
		}
		return 0
	}, p)
	return p
}

// sameBlock reports whether W[i][j] (and W[j][i]) may be non-zero.
func (l *Linear) sameBlock(i, j int) bool { return l.Blocks == nil || l.Blocks[i] == l.Blocks[j] }

// triangles returns the constant 0/1 masks of the strictly lower and strictly upper parts (inside
// the blocks, with Blocks).
func (l *Linear) triangles() (lower, upper, eye *mat.Dense) {
	d := l.Dim()
	lower, upper, eye = mat.NewDense(d, d, nil), mat.NewDense(d, d, nil), mat.NewDense(d, d, nil)
	for i := 0; i < d; i++ {
		for j := 0; j < d; j++ {
			switch {
			case j < i && l.sameBlock(i, j):
				lower.Set(i, j, 1)
			case j > i && l.sameBlock(i, j):
				upper.Set(i, j, 1)
			default:
				eye.Set(i, i, 1)
			}
		}
	}
	return lower, upper, eye
}

// Forward adds x·W + b and Σ LogDiag to g.
func (l *Linear) Forward(g *graph.Graph, x *G.Node) (y, logdet *G.Node) {
	lm, um, eye := l.triangles()
	id := g.Const(eye)
	lo := G.Must(G.Add(G.Must(G.HadamardProd(g.Param(l.Lower), g.Const(lm))), id))
	diag := G.Must(G.HadamardProd(g.ConstVec(l.Sign), G.Must(G.Exp(g.Param(l.LogDiag)))))
	up := G.Must(G.Add(G.Must(G.HadamardProd(g.Param(l.Upper), g.Const(um))), graph.MulRow(id, diag)))
	w := G.Must(G.Mul(G.Must(G.Mul(g.Const(l.P), lo)), up))
	y = graph.AddRow(G.Must(G.Mul(x, w)), g.Param(l.B))
	return y, g.Fill(G.Must(G.Sum(g.Param(l.LogDiag))), x.Shape()[0])
}

// Transform is the numeric forward.
func (l *Linear) Transform(x *mat.Dense) (*mat.Dense, []float64) {
	n, d := x.Dims()
	y := mat.NewDense(n, d, nil)
	y.Mul(x, l.cached().w)
	addRow(y, l.B.Data())
	return y, fill(n, sum(l.LogDiag.Data()))
}

// Inverse solves x·W = y − b, W = P·L·U, without forming W⁻¹:
//
//	u·U = y − b,  v·L = u  (two triangular solves, blas64.Trsm on all rows at once),
//	x = v·Pᵀ           (x[:, j] = v[:, π(j)], π(j) the column of row j's 1 in P),
//	log|det W| = Σ LogDiag per row.
//
// Nothing is substituted: a zero pivot of U (LogDiag = −Inf, or exp(LogDiag) underflowing) gives
// ±Inf or NaN in x (the row's entry at that pivot, and what depends on it), overflowing
// parameters likewise give non-finite values, so the caller's non-finite checks see them.
func (l *Linear) Inverse(y *mat.Dense) (*mat.Dense, []float64) {
	n, d := y.Dims()
	v := mat.NewDense(n, d, nil)
	b := l.B.Data()
	for i := 0; i < n; i++ {
		vr := v.RawRowView(i)
		for j, yv := range y.RawRowView(i) {
			vr[j] = yv - b[j]
		}
	}
	c := l.cached()
	vm := v.RawMatrix()
	blas64.Trsm(blas.Right, blas.NoTrans, 1, triangle(c.up, blas.Upper, blas.NonUnit), vm)
	blas64.Trsm(blas.Right, blas.NoTrans, 1, triangle(c.lo, blas.Lower, blas.Unit), vm)
	perm := c.perm
	x := mat.NewDense(n, d, nil)
	for i := 0; i < n; i++ {
		xr, vr := x.RawRowView(i), v.RawRowView(i)
		for j, k := range perm {
			xr[j] = vr[k]
		}
	}
	return x, fill(n, sum(l.LogDiag.Data()))
}

// triangle views the uplo triangle of the square dense m as a blas64 triangular matrix.
func triangle(m *mat.Dense, uplo blas.Uplo, diag blas.Diag) blas64.Triangular {
	r := m.RawMatrix()
	return blas64.Triangular{Uplo: uplo, Diag: diag, N: r.Rows, Data: r.Data, Stride: r.Stride}
}

// permutation returns π with P[j][π(j)] = 1, so (x·P)[:, π(j)] = x[:, j]. It panics when P is not
// a permutation matrix (every constructor and the model file make one).
func (l *Linear) permutation() []int {
	d := l.Dim()
	perm := make([]int, d)
	seen := make([]bool, d)
	for j := 0; j < d; j++ {
		perm[j] = -1
		for k := 0; k < d; k++ {
			switch v := l.P.At(j, k); {
			case v == 1 && perm[j] < 0 && !seen[k]:
				perm[j], seen[k] = k, true
			case v != 0:
				panic(fmt.Sprintf("layers: linear P is not a permutation (row %d, column %d)", j, k))
			}
		}
		if perm[j] < 0 {
			panic(fmt.Sprintf("layers: linear P is not a permutation (row %d has no 1)", j))
		}
	}
	return perm
}
