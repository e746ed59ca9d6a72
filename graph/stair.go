package graph

import (
	"runtime"

	"github.com/affineflow/flow/internal/fastblas"
	"github.com/affineflow/flow/internal/parallel"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/mat"
)

// dgemmStair and sgemmStair are serial GEMMs within a staircase (fastblas.Stair), set by a build
// whose BLAS has them; with none (OpenBLAS) the fused dense map multiplies its bands' blocks.
var (
	dgemmStair func(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int, st *fastblas.Stair)
	sgemmStair func(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int, st *fastblas.Stair)
)

// lines are the ranges [lo[i], hi[i]) that hold the nonzeros of each column (or row) i of a mask
// (lo ≥ hi: none): the staircase of a product with it.
type lines struct{ lo, hi []int }

// scanLines returns the ranges of the nonzeros of each column (cols, over the rows) and of each
// row (rows, over the columns) of m, in one pass over it.
func scanLines(m mat.Matrix) (cols, rows *lines) {
	r, c := m.Dims()
	cols = &lines{lo: make([]int, c), hi: make([]int, c)}
	rows = &lines{lo: make([]int, r), hi: make([]int, r)}
	for j := range c {
		cols.lo[j] = r
	}
	for i := range r {
		rows.lo[i] = c
		for j := range c {
			if m.At(i, j) != 0 {
				rows.lo[i], rows.hi[i] = min(rows.lo[i], j), j+1
				cols.lo[j], cols.hi[j] = min(cols.lo[j], i), i+1
			}
		}
	}
	for _, ln := range []*lines{cols, rows} {
		for j := range ln.lo {
			if ln.lo[j] >= ln.hi[j] {
				ln.lo[j], ln.hi[j] = 0, 0
			}
		}
	}
	return cols, rows
}

// ifSaving returns ln, or nil when its ranges (in a dimension of length other) keep more than
// 1 - bandSaving of the product.
func (ln *lines) ifSaving(other int) *lines {
	kept := 0
	for j, lo := range ln.lo {
		kept += ln.hi[j] - lo
	}
	if float64(kept) > (1-bandSaving)*float64(len(ln.lo)*other) {
		return nil
	}
	return ln
}

// kept returns the fraction of a product with the n lines of ln (in a dimension of length other)
// that a staircase GEMM performs with panels of nr lines, each on its lines' union (1 for nil).
func (ln *lines) kept(other, nr int) float64 {
	if ln == nil {
		return 1
	}
	n, work := len(ln.lo), 0
	for j := 0; j < n; j += nr {
		lo, hi := other, 0
		for c := j; c < min(j+nr, n); c++ {
			if ln.lo[c] < ln.hi[c] {
				lo, hi = min(lo, ln.lo[c]), max(hi, ln.hi[c])
			}
		}
		work += (min(j+nr, n) - j) * max(0, hi-lo)
	}
	return float64(work) / float64(n*other)
}

// stairsAvailable reports whether the GEMMs of type T take staircases.
func stairsAvailable[T Float]() bool {
	var zero T
	if _, ok := any(zero).(float64); ok {
		return dgemmStair != nil
	}
	return sgemmStair != nil
}

// gemmStairs computes C = β·C + op(A)·op(B) (C m×n) within the staircase ln of C's columns
// (fastblas.Stair: ranges of the sum's index, or of C's rows when rows), on up to
// GOMAXPROCS/beside goroutines (procsBeside) when it holds at least 2^20 multiply-adds: each a
// share of C's columns, cut at multiples of a kernel panel (fastblas.Panel) for about equal work,
// so that each goroutine packs only its own panels of B. A transposed A that fastblas would copy
// (CopiesTransposedA) is copied to its transpose once, in scratch (fastblas would in each call).
// sts keeps the staircases of the goroutines across calls.
func gemmStairs[T Float](tA, tB blas.Transpose, m, n, k int, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int, ln *lines, rows bool, scratch *[]T, sts *[]fastblas.Stair, beside int) {
	if tA != blas.NoTrans && fastblas.CopiesTransposedA[T](lda) {
		a, lda, tA = transposeTo(scratch, m, k, a, lda), k, blas.NoTrans
	}
	depth := m // the work of a column is its range times the other dimension
	if rows {
		depth = k
	}
	work, panel := 0, fastblas.Panel[T]()
	for j := range n {
		work += (ln.hi[j] - ln.lo[j]) * depth
	}
	procs := 1
	if work >= 1<<20 {
		procs = min(procsBeside(beside), (n+panel-1)/panel)
	}
	if cap(*sts) < procs {
		*sts = make([]fastblas.Stair, procs)
	}
	*sts = (*sts)[:procs]
	if procs == 1 { // no closures: they would be moved to the heap on every call
		stairPart(tA, tB, m, k, a, lda, b, ldb, beta, c, ldc, ln, rows, 0, n, &(*sts)[0])
		return
	}
	// cut[w] is the first column of goroutine w
	cut := func(w int) int {
		if w == 0 {
			return 0
		}
		if w == procs {
			return n
		}
		target, done := w*work/procs, 0
		for j := 0; j < n; j += panel {
			if done >= target {
				return j
			}
			for c := j; c < min(j+panel, n); c++ {
				done += (ln.hi[c] - ln.lo[c]) * depth
			}
		}
		return n
	}
	parallel.For(procs, func(w int) {
		stairPart(tA, tB, m, k, a, lda, b, ldb, beta, c, ldc, ln, rows, cut(w), cut(w+1), &(*sts)[w])
	})
}

// procsBeside is the goroutines a product of a graph may use when beside graphs run at once
// (Graph.Beside): a share of GOMAXPROCS, at least one. Two shards of a D=8 step each splitting its
// products over both threads spent 4% of the step waking goroutines that waited for a core.
func procsBeside(beside int) int { return max(1, runtime.GOMAXPROCS(0)/max(1, beside)) }

// stairPart computes columns [c0, c1) of gemmStairs' product with the staircase st.
func stairPart[T Float](tA, tB blas.Transpose, m, k int, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int, ln *lines, rows bool, c0, c1 int, st *fastblas.Stair) {
	if c0 >= c1 {
		return
	}
	*st = fastblas.Stair{Lo: ln.lo[c0:c1], Hi: ln.hi[c0:c1], Rows: rows}
	bo := c0
	if tB != blas.NoTrans {
		bo = c0 * ldb
	}
	switch a := any(a).(type) {
	case []float64:
		dgemmStair(tA, tB, m, c1-c0, k, 1, a, lda, any(b).([]float64)[bo:], ldb, float64(beta), any(c).([]float64)[c0:], ldc, st)
	case []float32:
		sgemmStair(tA, tB, m, c1-c0, k, 1, a, lda, any(b).([]float32)[bo:], ldb, float32(beta), any(c).([]float32)[c0:], ldc, st)
	}
}
