package fastblas

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
)

// Stair restricts a product C = β·C + α·op(A)·op(B) (C m×n) to a staircase given per column j of
// C by the range [Lo[j], Hi[j]) (Lo[j] ≥ Hi[j]: empty):
//
//   - Rows false: the range of the sum's index p, op(B)[p, j] being zero outside it (column j of
//     a masked weight matrix W ⊙ M, or row j of it for op(B) = (W ⊙ M)ᵀ). The GEMM skips the
//     other terms, so C is exact: the whole C is set.
//   - Rows true: the range of C's rows wanted in column j (the support of a mask, for its weight
//     gradient). Each mr×nr kernel tile of C that meets the staircase is set to its
//     β·C + α·op(A)·op(B); the rest of C is left as it is.
//
// The kernel computes a tile's nr columns at once, on the union of their ranges, so the work
// follows the staircase to within a panel of nr columns (8 in float64, 16 in float32): a MADE's
// hidden map of 512 units and 62 degrees keeps about 52% of its multiply-adds, against 57% with
// its mask cut into 8 blocks of 64 columns. Where the kernel does not run (no AVX2 and FMA, fewer
// than its mr rows, k < 4) the whole product is computed, which is exact under the same
// conditions.
type Stair struct {
	Lo, Hi []int
	Rows   bool
}

// DgemmStair is Implementation.Dgemm within the staircase st (nil: Dgemm); a staircase of C's
// rows runs on the calling goroutine.
func (Implementation) DgemmStair(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int, st *Stair) {
	gemm(kernel64, true, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, st)
}

// DgemmStair is Serial.Dgemm within the staircase st (nil: Dgemm).
func (Serial) DgemmStair(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int, st *Stair) {
	gemm(kernel64, false, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, st)
}

// SgemmStair is Serial.Sgemm within the staircase st (nil: Sgemm).
func (Serial) SgemmStair(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int, st *Stair) {
	gemm(kernel32, false, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, st)
}

// check panics when st does not have a range for each of n columns within [0, m) (Rows) or
// [0, k) for any k: ranges past k are clipped to it.
func (st *Stair) check(m, n int) {
	if st == nil {
		return
	}
	if len(st.Lo) != n || len(st.Hi) != n {
		panic(fmt.Sprintf("fastblas: staircase of %d and %d columns for %d", len(st.Lo), len(st.Hi), n))
	}
	for j, lo := range st.Lo {
		if lo < 0 || st.Hi[j] < 0 || st.Rows && st.Hi[j] > m {
			panic(fmt.Sprintf("fastblas: staircase range [%d, %d) of column %d (m = %d)", lo, st.Hi[j], j, m))
		}
	}
}

// span returns the union [lo, hi) of the ranges of columns j..j+w (lo > hi: none).
func (st *Stair) span(j, w int) (lo, hi int) {
	lo = math.MaxInt
	for c := j; c < j+w; c++ {
		if st.Lo[c] < st.Hi[c] {
			lo, hi = min(lo, st.Lo[c]), max(hi, st.Hi[c])
		}
	}
	return lo, hi
}

// terms returns the part [ps, pe) of the sum's range [p0, p1) that columns j..j+w need: all of it
// without a staircase of the sum's index (ps ≥ pe: none).
func (st *Stair) terms(j, w, p0, p1 int) (ps, pe int) {
	if st == nil || st.Rows {
		return p0, p1
	}
	lo, hi := st.span(j, w)
	return max(p0, lo), min(p1, hi)
}

// maxPanels is the most kernel panels whose ranges panels keeps (512 float64 or 1024 float32
// columns); a wider product finds them again for each use.
const maxPanels = 64

// panels is a staircase's union ranges per kernel panel of nr columns (span), found once per
// product instead of once per k-block and row block.
type panels struct {
	st     *Stair
	nr, n  int
	kept   bool
	lo, hi [maxPanels]int
}

func (p *panels) init(st *Stair, nr, n int) {
	p.st, p.nr, p.n = st, nr, n
	np := (n + nr - 1) / nr
	if p.kept = st != nil && np <= maxPanels; p.kept {
		for q := range np {
			p.lo[q], p.hi[q] = st.span(q*nr, min(nr, n-q*nr))
		}
	}
}

// span is st.span of the panel at column j (a multiple of nr).
func (p *panels) span(j int) (lo, hi int) {
	if p.kept {
		return p.lo[j/p.nr], p.hi[j/p.nr]
	}
	return p.st.span(j, min(p.nr, p.n-j))
}

// terms is st.terms of the panel at column j.
func (p *panels) terms(j, p0, p1 int) (ps, pe int) {
	if p.st == nil || p.st.Rows {
		return p0, p1
	}
	lo, hi := p.span(j)
	return max(p0, lo), min(p1, hi)
}
