package masks

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// Dependency returns the D × D matrix M, D = len(in), of the dependencies
// allowed by the degrees in, in the Jacobian convention (row i = output i,
// column j = input j):
//
//	M[i][j] = 1 iff in[j] < in[i]
//
// so output i may use input j only if j comes strictly earlier in the
// order. For a permutation, M is strictly lower triangular once rows and
// columns are both permuted by in.Order(); for blocks, every dimension sees
// all dimensions of earlier blocks and none of its own block, so M is
// strictly block lower triangular. Inputs of degree 0 are seen by every data
// dimension and see nothing. D = 0 gives an empty matrix.
func Dependency(in Degrees) *mat.Dense {
	if len(in) == 0 {
		return &mat.Dense{}
	}
	m := mat.NewDense(len(in), len(in), nil)
	for i, di := range in {
		for j, dj := range in {
			if dj < di {
				m.Set(i, j, 1)
			}
		}
	}
	return m
}

// Allowed returns the len(in) × reps·D 0/1 matrix, D = len(in.Data()), of
// the input→output paths an autoregressive network with input degrees in and
// reps outputs per data dimension may have: entry (j, c) is 1 iff
// in[j] < out[c] with out = Repeat(in.Data(), reps). It is in the mask
// convention (rows = inputs) and is the target of Connectivity: Check
// verifies Connectivity <= Allowed, CheckMaximal that they are equal.
func Allowed(in Degrees, reps int) *mat.Dense {
	return Between(in, Repeat(in.Data(), reps), true)
}

// Connectivity returns the D_in × D_out 0/1 matrix of paths through a chain
// of masks m_1 · m_2 · ... · m_L (each fan-in × fan-out): entry (a, b) is 1
// iff some path of non-zero mask entries leads from input a to output b,
// that is iff (m_1 ⋯ m_L)[a][b] > 0 for non-negative masks. Intermediate
// products are binarised so the result does not depend on path counts. It
// panics if masks is empty, contains an empty matrix, or consecutive shapes
// do not chain; use Check to get an error instead.
func Connectivity(masks []*mat.Dense) *mat.Dense {
	if err := checkChain(masks); err != nil {
		panic(err.Error())
	}
	c := Support(masks[0])
	for _, m := range masks[1:] {
		var p mat.Dense
		p.Mul(c, Support(m))
		c = Support(&p)
	}
	return c
}

// checkChain verifies that masks is a non-empty chain of non-empty matrices
// whose shapes agree: cols(m_l) == rows(m_{l+1}).
func checkChain(masks []*mat.Dense) error {
	if len(masks) == 0 {
		return fmt.Errorf("masks: no masks")
	}
	for l, m := range masks {
		if m == nil || m.IsEmpty() {
			return fmt.Errorf("masks: mask %d is empty", l)
		}
		if l > 0 {
			_, pc := masks[l-1].Dims()
			r, _ := m.Dims()
			if pc != r {
				return fmt.Errorf("masks: mask %d has %d columns but mask %d has %d rows", l-1, pc, l, r)
			}
		}
	}
	return nil
}
