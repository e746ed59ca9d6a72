package modelfile

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/affineflow/flow/graph"
	"github.com/affineflow/flow/layers"
	"gonum.org/v1/gonum/mat"
)

// linearJSON is a "linear" layer: y = x·weight + bias. LU is this package's extension: the
// trainable factors, so that a reloaded layer has exactly the parameters it was saved with.
// Blocks, also an extension, marks a block-diagonal map (layers.NewBlockLinear): a block number
// per dimension; weight must be zero between different blocks, and training keeps it so.
type linearJSON struct {
	Weight [][]float64 `json:"weight"`
	Bias   []float64   `json:"bias"`
	LU     *luJSON     `json:"lu,omitempty"`
	Blocks []int       `json:"blocks,omitempty"`
}

// luJSON is weight = P·L·U with P[i][p[i]] = 1, L = I + strictly lower part of lower,
// U = strictly upper part of upper + diag(sign ⊙ exp(log_diag)).
type luJSON struct {
	P       []int       `json:"p"`
	Lower   [][]float64 `json:"lower"`
	Upper   [][]float64 `json:"upper"`
	LogDiag []float64   `json:"log_diag"`
	Sign    []float64   `json:"sign"`
}

func init() { registerLayer("linear", encodeLinear, decodeLinear) }

func encodeLinear(l *layers.Linear) (any, error) {
	d := l.Dim()
	p := make([]int, d)
	for i := range p {
		p[i] = -1
		for j := range d {
			if l.P.At(i, j) == 1 {
				p[i] = j
			}
		}
	}
	lo, up := mat.NewDense(d, d, nil), mat.NewDense(d, d, nil)
	used := l.Pattern() // with Blocks, the factors' entries between blocks are unused: write zeros
	for i := range d {
		for j := range d {
			if used.At(i, j) == 0 {
				continue
			}
			if j < i {
				lo.Set(i, j, l.Lower.Mat().At(i, j))
			} else if j > i {
				up.Set(i, j, l.Upper.Mat().At(i, j))
			}
		}
	}
	return linearJSON{
		Weight: rows(l.Weight()),
		Blocks: append([]int(nil), l.Blocks...),
		Bias:   append([]float64(nil), l.B.Data()...),
		LU: &luJSON{
			P:       p,
			Lower:   rows(lo),
			Upper:   rows(up),
			LogDiag: append([]float64(nil), l.LogDiag.Data()...),
			Sign:    append([]float64(nil), l.Sign...),
		},
	}, nil
}

func decodeLinear(raw json.RawMessage, dim int) (*layers.Linear, error) {
	var v linearJSON
	if err := decodeInto(raw, &v, ""); err != nil {
		return nil, err
	}
	l, err := decodeLinearMap(v, dim)
	if err != nil || v.Blocks == nil {
		return l, err
	}
	blocks, err := decodeOrder(v.Blocks, dim)
	if err != nil {
		return nil, fmt.Errorf("blocks: %w", err)
	}
	if err := l.SetBlocks(blocks); err != nil {
		return nil, fmt.Errorf("blocks %v: %w", v.Blocks, err)
	}
	return l, nil
}

func decodeLinearMap(v linearJSON, dim int) (*layers.Linear, error) {
	w, err := matrix("weight", v.Weight, dim, dim)
	if err != nil {
		return nil, err
	}
	b, err := vector("bias", v.Bias, dim)
	if err != nil {
		return nil, err
	}
	l, err := layers.NewLinearFromWeight(w, b)
	if err != nil {
		return nil, fmt.Errorf("weight: %w", err)
	}
	if ld := sumOf(l.LogDiag.Data()); math.IsInf(ld, 0) || math.IsNaN(ld) {
		return nil, fmt.Errorf("weight is numerically singular (log|det| = %g)", ld)
	}
	if v.LU == nil {
		return l, nil
	}
	fl, err := decodeLU(v.LU, dim, b)
	if err != nil {
		return nil, err
	}
	got := fl.Weight()
	tol := 1e-9 * (1 + mat.Norm(w, math.Inf(1)))
	for i := range dim {
		for j := range dim {
			if diff := math.Abs(got.At(i, j) - w.At(i, j)); !(diff <= tol) {
				return nil, fmt.Errorf("lu does not match weight: (P·L·U)[%d][%d] = %g but weight[%d][%d] = %g (remove \"lu\" to factorize weight)",
					i, j, got.At(i, j), i, j, w.At(i, j))
			}
		}
	}
	return fl, nil
}

// decodeLU builds a Linear from its stored factors.
func decodeLU(v *luJSON, dim int, bias []float64) (*layers.Linear, error) {
	p, err := ints("lu.p", v.P, dim)
	if err != nil {
		return nil, err
	}
	pm := mat.NewDense(dim, dim, nil)
	seen := make([]bool, dim)
	for i, j := range p {
		if j < 0 || j >= dim || seen[j] {
			return nil, fmt.Errorf("lu.p %v is not a permutation of 0..%d", p, dim-1)
		}
		seen[j] = true
		pm.Set(i, j, 1)
	}
	lo, err := matrix("lu.lower", v.Lower, dim, dim)
	if err != nil {
		return nil, err
	}
	up, err := matrix("lu.upper", v.Upper, dim, dim)
	if err != nil {
		return nil, err
	}
	ld, err := vector("lu.log_diag", v.LogDiag, dim)
	if err != nil {
		return nil, err
	}
	sign, err := vector("lu.sign", v.Sign, dim)
	if err != nil {
		return nil, err
	}
	for i, s := range sign {
		if s != 1 && s != -1 {
			return nil, fmt.Errorf("lu.sign[%d] is %g, want 1 or -1", i, s)
		}
	}
	for i := range dim {
		for j := range dim {
			if j >= i {
				lo.Set(i, j, 0)
			}
			if j <= i {
				up.Set(i, j, 0)
			}
		}
	}
	return &layers.Linear{
		Lower:   graph.NewMatrix("linear.L", lo),
		Upper:   graph.NewMatrix("linear.U", up),
		LogDiag: graph.NewParam("linear.logdiag", ld, dim),
		B:       graph.NewParam("linear.b", bias, dim),
		P:       pm,
		Sign:    sign,
	}, nil
}

func sumOf(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s
}
