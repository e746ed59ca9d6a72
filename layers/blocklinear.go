package layers

import (
	"fmt"
	"math/rand"

	"gonum.org/v1/gonum/mat"

	"github.com/affineflow/flow/masks"
)

// NewBlockLinear returns a block-diagonal Linear map for the blocks of a block order: dimensions
// with the same degree form one block (masks.Blocks, masks.BlocksOf), and the map mixes
// dimensions only inside their block,
//
//	W = P·L·U with P, L, U block-diagonal,  log|det W| = Σ LogDiag.
//
// Placed after an AffineInjection with the same degrees it keeps the Jacobian block-triangular
// while making the dependence inside each block full. It starts as the identity when rng is nil,
// else as a random rotation inside each block.
func NewBlockLinear(blocks masks.Degrees, rng *rand.Rand) (*Linear, error) {
	if err := blocks.Validate(); err != nil {
		return nil, err
	}
	d := len(blocks)
	w := mat.NewDense(d, d, nil)
	for _, dims := range blocks.Groups() {
		n := len(dims)
		r := identity(n)
		if rng != nil && n > 1 {
			g := mat.NewDense(n, n, nil)
			g.Apply(func(_, _ int, _ float64) float64 { return rng.NormFloat64() }, g)
			var qr mat.QR
			qr.Factorize(g)
			qr.QTo(r)
		}
		for a, i := range dims {
			for b, j := range dims {
				w.Set(i, j, r.At(a, b))
			}
		}
	}
	l, err := NewLinearFromWeight(w, make([]float64, d))
	if err != nil {
		return nil, err
	}
	if err := l.SetBlocks(blocks); err != nil {
		return nil, err
	}
	return l, nil
}

func identity(n int) *mat.Dense {
	m := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		m.Set(i, i, 1)
	}
	return m
}

// SetBlocks restricts l to the blocks of a block order (nil: a full map again). It is an error
// when the permutation P moves a dimension to another block or when the current weight has an
// entry outside the blocks (beyond 1e-12 relative); the L and U entries outside the blocks are set
// to zero. The partial-pivoting LU of a block-diagonal weight (NewLinearFromWeight) keeps its
// pivots inside the blocks, so a block-diagonal weight always factorizes this way.
func (l *Linear) SetBlocks(blocks masks.Degrees) error {
	d := l.Dim()
	if blocks == nil {
		l.Blocks = nil
		return nil
	}
	if len(blocks) != d {
		return fmt.Errorf("layers: %d block numbers for a linear map of width %d", len(blocks), d)
	}
	if err := blocks.Validate(); err != nil {
		return err
	}
	for i := 0; i < d; i++ {
		for j := 0; j < d; j++ {
			if l.P.At(i, j) != 0 && blocks[i] != blocks[j] {
				return fmt.Errorf("layers: linear permutation maps dimension %d (block %d) to %d (block %d)", j, blocks[j], i, blocks[i])
			}
		}
	}
	full := l.Weight()
	scale := 1 + mat.Norm(full, 1)
	for i := 0; i < d; i++ {
		for j := 0; j < d; j++ {
			if blocks[i] != blocks[j] && !(abs(full.At(i, j)) <= 1e-12*scale) {
				return fmt.Errorf("layers: linear weight[%d][%d] = %g lies outside the blocks (block %d, block %d)", i, j, full.At(i, j), blocks[i], blocks[j])
			}
		}
	}
	l.Blocks = append(masks.Degrees(nil), blocks...)
	lm, um := l.Lower.Mat(), l.Upper.Mat()
	for i := 0; i < d; i++ {
		for j := 0; j < d; j++ {
			if blocks[i] != blocks[j] {
				lm.Set(i, j, 0)
				um.Set(i, j, 0)
			}
		}
	}
	l.Lower.Touch()
	l.Upper.Touch()
	return nil
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}
