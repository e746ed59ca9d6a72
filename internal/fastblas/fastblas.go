// Package fastblas is gonum's pure-Go BLAS with a faster Dgemm: a 4×8 AVX2/FMA register-blocked
// micro-kernel in Go assembly (no cgo), cache blocking, and row-block parallelism over GOMAXPROCS
// goroutines. Every other routine, and Dgemm on CPUs without AVX2+FMA, is gonum's.
//
// For row-major C (m×n) it computes C = β·C + α·op(A)·op(B) as
//
//	C[i:i+4, j:j+8] += α · Σ_{p in k-block} A[i:i+4, p]·B[p, j:j+8]
//
// over k-blocks of kc = 256 (a B panel of kc×8 stays in L1) and row blocks of mc = 64 (an A block
// stays in L2). The kernel reads A through two strides, so a transposed A (the hᵀ·g of a
// weight gradient) is read in place; a transposed B is first copied to its transpose in 8×8
// tiles (O(size), against the O(size·dim) product); the m mod 4 last rows go to gonum and the
// n mod 8 last columns to dot products.
package fastblas

import (
	"runtime"
	"sync"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// Implementation is gonum.Implementation with the fast Dgemm.
type Implementation struct{ gonum.Implementation }

// Available reports whether the fast kernel runs on this CPU (otherwise Dgemm is gonum's).
func Available() bool { return hasKernel }

const (
	kc          = 256
	mc          = 64
	minParFlops = 1 << 20 // below this many multiply-adds a call stays on one goroutine
)

var scratch = sync.Pool{New: func() any { return new([]float64) }}

// transpose returns the c×r transpose of the r×c matrix a (stride lda) in pooled memory.
func transpose(r, c int, a []float64, lda int) (*[]float64, []float64) {
	p := scratch.Get().(*[]float64)
	if cap(*p) < r*c {
		*p = make([]float64, r*c)
	}
	t := (*p)[:r*c]
	// in tiles of 8×8 (one cache line of each of 8 rows), so that the strided writes of a tile stay
	// in L1 (row by row was 5x slower on 512×512, 16×16 or larger tiles 2-6x: power-of-two strides
	// map a tall tile to one cache set)
	for i0 := 0; i0 < r; i0 += tile {
		i1 := min(i0+tile, r)
		for j0 := 0; j0 < c; j0 += tile {
			j1 := min(j0+tile, c)
			for i := i0; i < i1; i++ {
				row := a[i*lda+j0 : i*lda+j1]
				for j, v := range row {
					t[(j0+j)*r+i] = v
				}
			}
		}
	}
	return p, t
}

const tile = 8

// Dgemm computes C = β·C + α·op(A)·op(B), C m×n, op(A) m×k, op(B) k×n, all row-major.
func (impl Implementation) Dgemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	if !hasKernel || m < 4 || k < 4 || (tA != blas.NoTrans && tA != blas.Trans && tA != blas.ConjTrans) ||
		(tB != blas.NoTrans && tB != blas.Trans && tB != blas.ConjTrans) {
		impl.Implementation.Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	checkSizes(tA, tB, m, n, k, a, lda, b, ldb, c, ldc)
	if beta != 1 {
		for i := 0; i < m; i++ {
			row := c[i*ldc : i*ldc+n]
			if beta == 0 {
				clear(row)
			} else {
				for j := range row {
					row[j] *= beta
				}
			}
		}
	}
	if alpha == 0 {
		return
	}
	// A[i, p] is at a[i·ars + p·aps]: a transposed A is read in place (the kernel broadcasts
	// its four values of one p, contiguous then), a transposed B is copied
	ars, aps := lda, 1
	if tA != blas.NoTrans {
		ars, aps = 1, lda
	}
	if tB != blas.NoTrans {
		p, t := transpose(n, k, b, ldb)
		defer scratch.Put(p)
		b, ldb = t, n
	}
	gemmPar(m, n, k, alpha, a, ars, aps, b, ldb, c, ldc)
}

// gemmPar is gemm on row blocks in parallel for large products. It is a function of its own so
// that the operands its goroutines capture are moved to the heap here, not on every Dgemm call
// (the small products that go to gonum would allocate them for nothing).
func gemmPar(m, n, k int, alpha float64, a []float64, ars, aps int, b []float64, ldb int, c []float64, ldc int) {
	procs := min(runtime.GOMAXPROCS(0), m/(2*mc)+1)
	if m*n*k < minParFlops || procs < 2 {
		gemm(m, n, k, alpha, a, ars, aps, b, ldb, c, ldc)
		return
	}
	var wg sync.WaitGroup
	for w := 0; w < procs; w++ {
		r0, r1 := w*m/procs&^3, (w+1)*m/procs&^3
		if w == procs-1 {
			r1 = m
		}
		if r1 <= r0 {
			continue
		}
		wg.Add(1)
		go func(r0, r1 int) {
			defer wg.Done()
			gemm(r1-r0, n, k, alpha, a[r0*ars:], ars, aps, b, ldb, c[r0*ldc:], ldc)
		}(r0, r1)
	}
	wg.Wait()
}

// gemm adds α·A·B to C, B row-major and A[i, p] at a[i·ars + p·aps] (one of ars, aps is 1).
func gemm(m, n, k int, alpha float64, a []float64, ars, aps int, b []float64, ldb int, c []float64, ldc int) {
	m4, n8 := m&^3, n&^7
	for p0 := 0; p0 < k; p0 += kc {
		kk := min(kc, k-p0)
		for i0 := 0; i0 < m4; i0 += mc {
			i1 := min(i0+mc, m4)
			for j := 0; j < n8; j += 8 {
				for i := i0; i < i1; i += 4 {
					kern4x8(kk, &a[i*ars+p0*aps], ars, aps, &b[p0*ldb+j], ldb, &c[i*ldc+j], ldc, alpha)
				}
			}
		}
	}
	if n8 < n {
		gemmNarrow(m4, n-n8, k, alpha, a, ars, aps, b[n8:], ldb, c[n8:], ldc)
	}
	if m4 < m {
		var g gonum.Implementation
		tA, lda := blas.NoTrans, ars
		if aps != 1 {
			tA, lda = blas.Trans, aps
		}
		g.Dgemm(tA, blas.NoTrans, m-m4, n, k, alpha, a[m4*ars:], lda, b, ldb, 1, c[m4*ldc:], ldc)
	}
}

// gemmNarrow adds α·A·B to C for fewer than 8 columns: dot products of A's rows with B's
// columns, copied contiguous (gonum's row-axpy loop is slowest exactly there: sampling asks for
// the 2 output columns of one dimension at a time).
func gemmNarrow(m, n, k int, alpha float64, a []float64, ars, aps int, b []float64, ldb int, c []float64, ldc int) {
	if m == 0 {
		return
	}
	p, bt := transpose(k, n, b, ldb)
	defer scratch.Put(p)
	var at []float64
	if aps != 1 { // A transposed: its rows are columns of a
		q, t := transpose(k, m, a, aps)
		defer scratch.Put(q)
		at = t
	}
	for i := 0; i < m; i++ {
		var ar []float64
		if at != nil {
			ar = at[i*k : i*k+k]
		} else {
			ar = a[i*ars : i*ars+k]
		}
		for j := 0; j < n; j++ {
			br := bt[j*k : j*k+k]
			var s0, s1, s2, s3 float64
			l := 0
			for ; l+4 <= k; l += 4 {
				s0 += ar[l] * br[l]
				s1 += ar[l+1] * br[l+1]
				s2 += ar[l+2] * br[l+2]
				s3 += ar[l+3] * br[l+3]
			}
			for ; l < k; l++ {
				s0 += ar[l] * br[l]
			}
			c[i*ldc+j] += alpha * ((s0 + s1) + (s2 + s3))
		}
	}
}

// checkSizes panics, as gonum does, when a slice is too short for its matrix (the assembly kernel
// does not check bounds).
func checkSizes(tA, tB blas.Transpose, m, n, k int, a []float64, lda int, b []float64, ldb int, c []float64, ldc int) {
	ar, ac := m, k
	if tA != blas.NoTrans {
		ar, ac = k, m
	}
	br, bc := k, n
	if tB != blas.NoTrans {
		br, bc = n, k
	}
	switch {
	case lda < max(1, ac), ldb < max(1, bc), ldc < max(1, n):
		panic("fastblas: bad leading dimension")
	case len(a) < (ar-1)*lda+ac:
		panic("fastblas: A too short")
	case len(b) < (br-1)*ldb+bc:
		panic("fastblas: B too short")
	case len(c) < (m-1)*ldc+n:
		panic("fastblas: C too short")
	}
}
