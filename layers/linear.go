package layers

import (
	"fmt"
	"math"
	"math/rand"

	"github.com/affineflow/flow/graph"
	"github.com/affineflow/flow/masks"
	"gonum.org/v1/gonum/mat"
	G "gorgonia.org/gorgonia"
)

// Linear is the invertible linear map y = x·W + b with W in LU form (Kingma & Dhariwal 2018):
//
//	W = P · (L ⊙ strictly-lower + I) · (U ⊙ strictly-upper + diag(sign ⊙ exp(LogDiag))),
//	log|det W| = Σ LogDiag,
//
// P a fixed permutation and sign a fixed ±1 vector. Inverse is x = (y - b)·W⁻¹.
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
	d := l.Dim()
	lo, up := mat.NewDense(d, d, nil), mat.NewDense(d, d, nil)
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
	w := mat.NewDense(d, d, nil)
	w.Product(l.P, lo, up)
	return w
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
	y.Mul(x, l.Weight())
	addRow(y, l.B.Data())
	return y, fill(n, sum(l.LogDiag.Data()))
}

// Inverse solves x·W = y - b.
func (l *Linear) Inverse(y *mat.Dense) (*mat.Dense, []float64) {
	n, d := y.Dims()
	z := mat.DenseCopyOf(y)
	b := l.B.Data()
	z.Apply(func(_, j int, v float64) float64 { return v - b[j] }, z)
	var inv mat.Dense
	if err := inv.Inverse(l.Weight()); err != nil {
		// W is invertible by construction (non-zero diagonal of U); a failure here is a
		// numerical overflow of the parameters, which the caller sees as non-finite values.
		inv = *mat.NewDense(d, d, nil)
	}
	x := mat.NewDense(n, d, nil)
	x.Mul(z, &inv)
	return x, fill(n, sum(l.LogDiag.Data()))
}
