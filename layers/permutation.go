package layers

import (
	"fmt"
	"math/rand"

	"github.com/affineflow/flow/graph"
	"gonum.org/v1/gonum/mat"
	G "gorgonia.org/gorgonia"
)

// Permutation reorders dimensions: y[:, k] = x[:, Perm[k]]; log-det 0.
type Permutation struct {
	Perm []int
}

// NewPermutation checks that perm is a permutation of 0..D-1.
func NewPermutation(perm []int) (*Permutation, error) {
	seen := make([]bool, len(perm))
	for k, p := range perm {
		if p < 0 || p >= len(perm) || seen[p] {
			return nil, fmt.Errorf("layers: permutation entry %d is %d: not a permutation of 0..%d", k, p, len(perm)-1)
		}
		seen[p] = true
	}
	return &Permutation{Perm: append([]int(nil), perm...)}, nil
}

// Reverse returns the permutation D-1, ..., 0.
func Reverse(d int) *Permutation {
	p := make([]int, d)
	for k := range p {
		p[k] = d - 1 - k
	}
	return &Permutation{Perm: p}
}

// RandomPermutation returns a uniformly random permutation layer.
func RandomPermutation(d int, rng *rand.Rand) *Permutation {
	return &Permutation{Perm: rng.Perm(d)}
}

// Dim returns D.
func (l *Permutation) Dim() int { return len(l.Perm) }

// Params returns nil: a permutation has no parameters.
func (l *Permutation) Params() []*graph.Param { return nil }

// matrix returns P with x·P = x[:, Perm].
func (l *Permutation) matrix() *mat.Dense {
	d := l.Dim()
	p := mat.NewDense(d, d, nil)
	for k, j := range l.Perm {
		p.Set(j, k, 1)
	}
	return p
}

// Pattern has a one at (k, Perm[k]).
func (l *Permutation) Pattern() *mat.Dense { return mat.DenseCopyOf(l.matrix().T()) }

// Forward adds x·P and a zero log-det to g.
func (l *Permutation) Forward(g *graph.Graph, x *G.Node) (y, logdet *G.Node) {
	return G.Must(G.Mul(x, g.Const(l.matrix()))), g.Zeros(x.Shape()[0])
}

// Transform gathers the columns.
func (l *Permutation) Transform(x *mat.Dense) (*mat.Dense, []float64) {
	n, d := x.Dims()
	y := mat.NewDense(n, d, nil)
	for k, j := range l.Perm {
		y.SetCol(k, mat.Col(nil, j, x))
	}
	return y, make([]float64, n)
}

// Inverse scatters the columns back.
func (l *Permutation) Inverse(y *mat.Dense) (*mat.Dense, []float64) {
	n, d := y.Dims()
	x := mat.NewDense(n, d, nil)
	for k, j := range l.Perm {
		x.SetCol(j, mat.Col(nil, k, y))
	}
	return x, make([]float64, n)
}
