package graph

import (
	"fmt"
	"hash"
	"math"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// LogSumExpRows returns, for an N×K matrix a, the vector of length N
//
//	lse_r = log Σ_k exp(a[r, k]) = m_r + log Σ_k exp(a[r, k] − m_r),  m_r = max_k a[r, k],
//
// as one op whose gradient is the softmax of each row times the incoming gradient,
// ∂lse_r/∂a[r, k] = exp(a[r, k] − lse_r). (gorgonia's LogSumExp is broken, and the gradient of
// its Max is not right for this use: ENGINE.md.) A row of −∞ gives −∞ and a zero gradient.
func LogSumExpRows(a *G.Node) *G.Node { return G.Must(G.ApplyOp(lseOp{}, a)) }

// lseOp is LogSumExpRows; lseGradOp(a, lse, g) is g_r·exp(a[r, k] − lse_r).
type (
	lseOp     struct{}
	lseGradOp struct{}
)

func (lseOp) Arity() int                  { return 1 }
func (lseGradOp) Arity() int              { return 3 }
func (lseOp) String() string              { return "LogSumExpRows" }
func (lseGradOp) String() string          { return "LogSumExpRowsGrad" }
func (lseOp) Type() hm.Type               { return hm.NewFnType(matType, vecType) }
func (lseGradOp) Type() hm.Type           { return hm.NewFnType(matType, vecType, vecType, matType) }
func (lseOp) ReturnsPtr() bool            { return false }
func (lseGradOp) ReturnsPtr() bool        { return false }
func (lseOp) CallsExtern() bool           { return false }
func (lseGradOp) CallsExtern() bool       { return false }
func (lseOp) OverwritesInput() int        { return -1 }
func (lseGradOp) OverwritesInput() int    { return -1 }
func (o lseOp) WriteHash(h hash.Hash)     { fmt.Fprint(h, o.String()) }
func (o lseGradOp) WriteHash(h hash.Hash) { fmt.Fprint(h, o.String()) }
func (o lseOp) Hashcode() uint32          { return hashOf(o) }
func (o lseGradOp) Hashcode() uint32      { return hashOf(o) }

func (lseOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, ok := in[0].(tensor.Shape)
	if !ok || len(s) != 2 {
		return nil, fmt.Errorf("graph: LogSumExpRows of %v, want a matrix", in[0])
	}
	return tensor.Shape{s[0]}, nil
}

func (lseGradOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) { return inferSame(in) }

func (o lseOp) Do(in ...G.Value) (G.Value, error) {
	s := in[0].Shape()
	out := tensor.New(tensor.WithShape(s[0]), tensor.Of(in[0].Dtype()))
	switch a := in[0].Data().(type) {
	case []float64:
		lseInto(a, s[1], out.Data().([]float64))
	case []float32:
		lseInto(a, s[1], out.Data().([]float32))
	default:
		return nil, fmt.Errorf("graph: LogSumExpRows of %T", a)
	}
	return out, nil
}

// lseInto writes the log-sum-exp of each k-wide row of a into out.
func lseInto[T Float](a []T, k int, out []T) {
	for r := range out {
		row := a[r*k : (r+1)*k]
		m := math.Inf(-1)
		for _, v := range row {
			m = math.Max(m, float64(v))
		}
		if math.IsInf(m, 0) {
			out[r] = T(m)
			continue
		}
		s := 0.0
		for _, v := range row {
			s += math.Exp(float64(v) - m)
		}
		out[r] = T(m + math.Log(s))
	}
}

func (lseOp) DiffWRT(int) []bool { return []bool{true} }

func (lseOp) SymDiff(in G.Nodes, out, grad *G.Node) (G.Nodes, error) {
	g, err := G.ApplyOp(lseGradOp{}, in[0], out, grad)
	if err != nil {
		return nil, err
	}
	return G.Nodes{g}, nil
}

func (o lseGradOp) Do(in ...G.Value) (G.Value, error) {
	out := newLike(in[0])
	k := in[0].Shape()[1]
	switch a := in[0].Data().(type) {
	case []float64:
		lseGradInto(a, in[1].Data().([]float64), in[2].Data().([]float64), k, out.Data().([]float64))
	case []float32:
		lseGradInto(a, in[1].Data().([]float32), in[2].Data().([]float32), k, out.Data().([]float32))
	default:
		return nil, fmt.Errorf("graph: LogSumExpRows gradient of %T", a)
	}
	return out, nil
}

// lseGradInto writes g_r·exp(a[r, k] − lse_r) into out (0 where lse_r is −∞).
func lseGradInto[T Float](a, lse, g []T, k int, out []T) {
	for r := range lse {
		for c := range k {
			i := r*k + c
			if math.IsInf(float64(lse[r]), -1) {
				out[i] = 0
				continue
			}
			out[i] = g[r] * T(math.Exp(float64(a[i]-lse[r])))
		}
	}
}
