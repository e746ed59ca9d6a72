// Package fastblas is gonum's pure-Go BLAS with a faster Dgemm and Sgemm: register-blocked
// AVX-512 or AVX2/FMA micro-kernels in Go assembly (no cgo), cache blocking, and row-block
// parallelism over GOMAXPROCS goroutines. Every other routine, and Dgemm and Sgemm on CPUs without
// AVX2+FMA (or built with -tags noasm), is gonum's.
//
// For row-major C (m×n) it computes C = β·C + α·op(A)·op(B) as
//
//	C[i:i+mr, j:j+nr] += α · Σ_{p in k-block} A[i:i+mr, p]·B[p, j:j+nr]
//
// with an mr×nr kernel. On a CPU with AVX-512F (unless FASTBLAS_KERNEL=avx2 is set) it is 8×16
// in float64 and 8×32 in float32 (kernz8x16, kernz8x32s: 8 rows × 2 ZMM, sixteen accumulators),
// with a 4-row kernel for the last rows and an 8-row one of half the width for narrow panels,
// written, as the AVX2 ones, by one template (kerngen_test.go): on AMD Zen 5, whose FMA units are 512 bits wide, they
// doubled Dgemm's 256×512×512 on two cores (80 → 152 GFLOP/s; Sgemm 174 → 336). With AVX2 it is
// 6×8 in float64 (kern6x8: 6 rows × 2 YMM of 4 float64, twelve accumulators; 1.1-1.2x the 4×8
// one with eight on the products of a training step) and 6×16 in float32 (kern6x16s, 1.1-1.2x a
// 4×16 one), each with a 4-row kernel (kern4x8, kern4x16s) for the last m mod 6 rows when there
// are 4 or 5 of them (a batch of 256 rows leaves 4), and in float64 a 6×4 one (kern6x4) for an
// edge panel of at most 4 columns. The k-blocks are kc = 256 long and the row blocks about mc = 64
// rows (an A block stays in L2). The kernels read A through two
// strides, so a transposed A (the hᵀ·g of a weight gradient) is read in place; a transposed B (the
// g·Wᵀ of an input gradient) is packed into contiguous panels straight from its rows, by
// Transpose's block kernel. B is read in place, unless its stride is a multiple of 4 KiB (then it
// is packed too); the n mod nr last columns and the last m mod 4 rows are padded with zeros to a
// kernel's block. Both types share one generic driver; only the kernel and its shape differ.
//
// DgemmStair and SgemmStair restrict a product to a staircase (Stair: per column of C, the range
// of the sum's index where op(B) may be nonzero, or the range of C's rows wanted): the products of
// a masked weight matrix W ⊙ M and of its gradient with MADE's sorted degrees, each kernel panel
// run on the union of its columns' ranges (and, for a range of the sum's index, only those rows of
// B packed).
package fastblas

import (
	"runtime"
	"sync"
	"unsafe"

	"github.com/affineflow/flow/internal/parallel"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// Implementation is gonum.Implementation with the fast Dgemm and Sgemm.
type Implementation struct{ gonum.Implementation }

// Serial is Implementation whose Dgemm and Sgemm run on the calling goroutine only: for callers
// that split a product over goroutines themselves (graph's block-sparse products).
type Serial struct{ gonum.Implementation }

// Available reports whether the fast kernels run on this CPU (otherwise Dgemm and Sgemm are
// gonum's).
func Available() bool { return hasKernel }

// Kernels names the kernels in use: "avx512", "avx2" (on a CPU without AVX-512F, or with
// FASTBLAS_KERNEL=avx2 set), or "" (none: gonum's).
func Kernels() string {
	switch {
	case hasZMM:
		return "avx512"
	case hasKernel:
		return "avx2"
	}
	return ""
}

const (
	kc          = 256
	mc          = 64
	minParFlops = 1 << 20 // below this many multiply-adds a call stays on one goroutine
	maxTile     = 8 * 32  // the largest mr·nr
	packBlocks  = 6       // B is packed (when its stride aliases) for this many row blocks or more
)

type float interface{ ~float32 | ~float64 }

// kernel is a micro-kernel with its shape: run adds α·A·B to an mr×nr block of C (B and C
// row-major, A[i, p] at a[i·lda + p·aps]); packRows copies a panel's rows; gonum is gonum's gemm of
// the type, the fallback (no AVX2+FMA, fewer than mr rows, k < 4); scratch pools the copies.
type kernel[T float] struct {
	mr, nr   int
	run      func(k int, a *T, lda, aps int, b *T, ldb int, c *T, ldc int, alpha T, tiles int, set bool) // tiles down A and C; set: C = α·A·B
	er       int                                                                                         // edge's rows (< mr)
	edge     func(k int, a *T, lda, aps int, b *T, ldb int, c *T, ldc int, alpha T, tiles int, set bool) // er×nr, for the last m mod mr rows
	half     func(k int, a *T, lda, aps int, b *T, ldb int, c *T, ldc int, alpha T, tiles int, set bool) // mr×nr/2, for a panel of ≤ nr/2 columns (nil: none)
	packRows func(k int, dst, src *T, ld int)                                                            // copies k rows of nr values (stride ld) to dst, contiguous
	trans    func(dst, src *T, r8, cb, ld, ldd int)                                                      // Transpose's block kernel: 8 rows by tw columns a step
	tw       int
	// copiesAliased: a transposed A whose row stride is a multiple of 4 KiB is copied to its
	// transpose rather than read in place (CopiesTransposedA)
	copiesAliased bool
	gonum         func(tA, tB blas.Transpose, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int)
	scratch       sync.Pool // of *[]T
}

// The kernels of each type: AVX2 (ymm) and AVX-512 (zmm); kernel64 and kernel32 are the ones in
// use, zmm where the CPU has it.
var (
	ymm64 = &kernel[float64]{mr: 6, nr: 8, run: kern6x8, er: 4, edge: kern4x8, half: kern6x4, packRows: pack8, trans: transpose8x4, tw: 4, copiesAliased: true, gonum: gonum.Implementation{}.Dgemm}
	ymm32 = &kernel[float32]{mr: 6, nr: 16, run: kern6x16s, er: 4, edge: kern4x16s, packRows: pack16s, trans: transpose8x8s, tw: 8, copiesAliased: true, gonum: gonum.Implementation{}.Sgemm}
	zmm64 = &kernel[float64]{mr: 8, nr: 16, run: kernz8x16, er: 4, edge: kernz4x16, half: kernz8x8, packRows: packz16, trans: transpose8x4, tw: 4, gonum: gonum.Implementation{}.Dgemm}
	zmm32 = &kernel[float32]{mr: 8, nr: 32, run: kernz8x32s, er: 4, edge: kernz4x32s, half: kernz8x16s, packRows: packz32s, trans: transpose8x8s, tw: 8, gonum: gonum.Implementation{}.Sgemm}

	kernel64, kernel32 = pick(zmm64, ymm64), pick(zmm32, ymm32)
)

// CopiesTransposedA reports whether a product in type T copies a transposed A of row stride lda
// to its transpose first (callers that run several products on one A can copy it once). The AVX2
// kernels do when the stride is a multiple of 4 KiB: their successive p then hit one L1 set (hᵀ·g
// of a 512-wide layer ran at half speed). The AVX-512 ones read it in place: the copy cost more
// than it saved (float64 step-AT 147–149 → 151–162 GFLOP/s without it, the single-core D=63 step
// 1–3% faster).
func CopiesTransposedA[T float](lda int) bool { return kernelOf[T]().copiesA(lda) }

// copiesA reports whether kr copies a transposed A of row stride lda (CopiesTransposedA).
func (kr *kernel[T]) copiesA(lda int) bool {
	var zero T
	return kr.copiesAliased && lda*int(unsafe.Sizeof(zero))%4096 == 0
}

// Panel returns the columns of C a kernel computes at once in type T (8 or 16 in float64, 16 or
// 32 in float32): a staircase's work is rounded to panels of this width, and a product split by
// columns keeps its panels whole when cut at multiples of it.
func Panel[T float]() int { return kernelOf[T]().nr }

// kernelOf returns the kernel in use for type T (nil for a type named otherwise than float64
// and float32).
func kernelOf[T float]() *kernel[T] {
	if k, ok := any(kernel64).(*kernel[T]); ok {
		return k
	}
	k, _ := any(kernel32).(*kernel[T])
	return k
}

// pick is z on a CPU with AVX-512 (hasZMM), else y.
func pick[T float](z, y *kernel[T]) *kernel[T] {
	if hasZMM {
		return z
	}
	return y
}

// Dgemm computes C = β·C + α·op(A)·op(B), C m×n, op(A) m×k, op(B) k×n, all row-major.
func (Implementation) Dgemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	gemm(kernel64, true, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, nil)
}

// Dgemm is Implementation.Dgemm on the calling goroutine.
func (Serial) Dgemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	gemm(kernel64, false, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, nil)
}

// Sgemm is Implementation.Sgemm on the calling goroutine.
func (Serial) Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gemm(kernel32, false, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, nil)
}

// Sgemm computes C = β·C + α·op(A)·op(B) in float32, C m×n, op(A) m×k, op(B) k×n, all row-major.
func (Implementation) Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gemm(kernel32, true, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, nil)
}

func validTrans(t blas.Transpose) bool {
	return t == blas.NoTrans || t == blas.Trans || t == blas.ConjTrans
}

// gemm is Dgemm and Sgemm with the kernel kr, on row blocks in parallel when par.
func gemm[T float](kr *kernel[T], par bool, tA, tB blas.Transpose, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int, st *Stair) {
	if !hasKernel || m < kr.er || k < 4 || !validTrans(tA) || !validTrans(tB) {
		kr.gonum(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	checkSizes(tA, tB, m, n, k, a, lda, b, ldb, c, ldc)
	st.check(m, n)
	rows := st != nil && st.Rows
	// β = 0 is the kernels' (they set the tiles they compute, block clears the others), and with
	// Rows every β is block's (applied to the tiles computed); here C is scaled otherwise
	if beta != 1 && !rows && (beta != 0 || alpha == 0) {
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
		beta = 1
	}
	if alpha == 0 && !rows {
		return
	}
	// A[i, p] is at a[i·ars + p·aps]: a transposed A is read in place (the kernel broadcasts
	// its values of one p, contiguous then), unless the kernel copies it (CopiesTransposedA)
	ars, aps := lda, 1
	if tA != blas.NoTrans {
		if kr.copiesA(lda) {
			p, t := kr.transpose(k, m, a, lda)
			defer kr.scratch.Put(p)
			a, ars = t, k
		} else {
			ars, aps = 1, lda
		}
	}
	bT := tB != blas.NoTrans
	if !par {
		kr.block(m, n, k, alpha, a, ars, aps, b, ldb, bT, beta, c, ldc, st)
		return
	}
	gemmPar(kr, m, n, k, alpha, a, ars, aps, b, ldb, bT, beta, c, ldc, st)
}

// gemmPar is gemm on row blocks in parallel for large products (a staircase of C's rows runs on
// one goroutine). It is a function of its own so
// that the operands its goroutines capture are moved to the heap here, not on every Dgemm call
// (the small products that go to gonum would allocate them for nothing).
func gemmPar[T float](kr *kernel[T], m, n, k int, alpha T, a []T, ars, aps int, b []T, ldb int, bT bool, beta T, c []T, ldc int, st *Stair) {
	procs := min(runtime.GOMAXPROCS(0), m/(2*mc)+1)
	if m*n*k < minParFlops || procs < 2 || st != nil && st.Rows {
		kr.block(m, n, k, alpha, a, ars, aps, b, ldb, bT, beta, c, ldc, st)
		return
	}
	parallel.For(procs, func(w int) {
		r0, r1 := w*m/procs/kr.mr*kr.mr, (w+1)*m/procs/kr.mr*kr.mr
		if w == procs-1 {
			r1 = m
		}
		if r1 > r0 {
			kr.block(r1-r0, n, k, alpha, a[r0*ars:], ars, aps, b, ldb, bT, beta, c[r0*ldc:], ldc, st)
		}
	})
}

// block sets C to β·C + α·A·B, B row-major (bT: Bᵀ row-major, B[p, j] at b[j·ldb + p]) and
// A[i, p] at a[i·ars + p·aps] (one of ars, aps is 1), within the staircase st (nil: all of it).
// β is 0 or 1, or with st.Rows any value, applied to each tile computed before its first product.
// With β = 0 C is never read: each tile's first product sets it (the kernels' set), and a panel of
// columns with no terms is cleared; a product whose C was cleared first spent 2-3% of a training
// step in that pass.
//
// A transposed B is always packed, each panel straight from Bᵀ's rows (Transpose's block kernel
// writing panel rows), never copied to its transpose first: that copy, then the packing of the
// copy, went over B twice more.
//
// The kernel reads B in place, except when B's row stride is a multiple of 4 KiB (a layer of 512
// float64 or 1024 float32 columns) and there are at least packBlocks row blocks: a panel's rows
// then map to one L1 set and each to its own page, the kernel ran 1.3-1.6x slower, and each
// k-block of B is first packed into kc×nr panels, contiguous. Below that many rows the packing
// cost more than it saved. The edges run the kernels too, through a scratch tile: the n mod nr
// last columns are packed into a zero-padded panel, and of the m mod mr last rows, 4 run the
// 4-row kernel in place and the rest (fewer than 4) are copied into a zero-padded 4×k block for it
// (at kernel speed: against dot products and gonum's loops, Dgemm of
// 1024×2×64 ran 1.9x, Sgemm of 256×24×512 3x and of 64×512×100 1.35x).
func (kr *kernel[T]) block(m, n, k int, alpha T, a []T, ars, aps int, b []T, ldb int, bT bool, beta T, c []T, ldc int, st *Stair) {
	if m == 0 || n == 0 {
		return
	}
	mr, nr := kr.mr, kr.nr
	mm, mb, nn := m-m%mr, mc-mc%mr, n-n%nr
	j0 := nn // the first packed column
	if bT || mm >= packBlocks*mr && ldb*int(unsafe.Sizeof(alpha))%4096 == 0 {
		j0 = 0
	}
	np := (n - j0 + nr - 1) / nr // packed panels
	q, buf := kr.get(min(kc, k)*np*nr + maxTile)
	defer kr.scratch.Put(q)
	// tmp, the edge tile, is pooled too: an array would escape through kr.run, an allocation per call
	buf, tmp := buf[:len(buf)-maxTile], buf[len(buf)-maxTile:]
	// rows [mm, ma) run the edge kernel in place, er at a time; the last rows [ma, m), fewer than
	// er, are copied to at (at[r·k + p], zero-padded to er rows) and run the edge kernel there
	ma := mm + (m-mm)/kr.er*kr.er
	var at []T
	if ma < m {
		q, t := kr.get(kr.er * k)
		defer kr.scratch.Put(q)
		clear(t)
		for r := ma; r < m; r++ {
			row := t[(r-ma)*k : (r-ma+1)*k]
			for p := range row {
				row[p] = a[r*ars+p*aps]
			}
		}
		at = t
	}
	rows := st != nil && st.Rows
	var pan panels
	pan.init(st, nr, n)
	for p0 := 0; p0 < k; p0 += kc {
		kk := min(kc, k-p0)
		for j := j0; j < n; j += nr {
			if ps, pe := pan.terms(j, p0, p0+kk); ps < pe {
				kr.packPanel(buf[(j-j0)*kk:(j-j0+nr)*kk], b, ldb, bT, p0, ps, pe, j, min(nr, n-j))
			}
		}
		for i0 := 0; i0 < m; i0 += mb {
			i1 := min(i0+mb, m)
			for j := 0; j < n; j += nr {
				w := min(nr, n-j)
				ps, pe := pan.terms(j, p0, p0+kk)
				// with β = 0 the kernel sets a tile in the first k-block of its sum's range (set)
				// and adds to it in the others; a panel of no terms at all is cleared instead
				first, last := pan.terms(j, 0, k)
				set := beta == 0 && ps == first
				if beta == 0 && !rows && first >= last && p0 == 0 {
					scaleTile(c[i0*ldc+j:], ldc, i1-i0, w, 0)
				}
				r0, r1 := i0, i1
				if rows {
					lo, hi := pan.span(j)
					r0, r1 = max(i0, lo/mr*mr), min(i1, hi)
				}
				if ps >= pe || r0 >= r1 {
					continue
				}
				r1 = min(r0+(r1-r0+mr-1)/mr*mr, m) // to the end of its last tile
				var panel *T
				ld := nr
				if j >= j0 {
					panel = &buf[(j-j0)*kk+(ps-p0)*nr]
				} else {
					panel, ld = &b[ps*ldb+j], ldb
				}
				if rows && p0 == 0 && beta != 1 && beta != 0 {
					scaleTile(c[r0*ldc+j:], ldc, r1-r0, w, beta)
				}
				i := r0
				if w == nr { // the whole tiles of the column, in one call
					if t := (min(r1, mm) - r0) / mr; t > 0 {
						kr.run(pe-ps, &a[r0*ars+ps*aps], ars, aps, panel, ld, &c[r0*ldc+j], ldc, alpha, t, set)
						i += t * mr
					}
				}
				for i < r1 {
					run, h := kr.run, mr // the kernel and the rows of C it sets
					ap, lda, aps := &a[i*ars+ps*aps], ars, aps
					switch {
					case i >= ma:
						run, h = kr.edge, m-i
						ap, lda, aps = &at[ps], k, 1
					case i >= mm:
						run, h = kr.edge, kr.er
					}
					if w == nr && i < ma { // a whole tile of an edge row block, in place
						run(pe-ps, ap, lda, aps, panel, ld, &c[i*ldc+j], ldc, alpha, 1, set)
						i += h
						continue
					}
					if w <= nr/2 && kr.half != nil && i < mm { // the panel's packed rows are nr wide
						run = kr.half
					}
					run(pe-ps, ap, lda, aps, panel, ld, &tmp[0], nr, alpha, 1, true)
					for r := 0; r < h; r++ {
						crow := c[(i+r)*ldc+j : (i+r)*ldc+j+w]
						if set {
							copy(crow, tmp[r*nr:])
							continue
						}
						for jj := range crow {
							crow[jj] += tmp[r*nr+jj]
						}
					}
					i += h
				}
			}
		}
	}
}

// scaleTile sets the h×w tile c (stride ldc) to β·c.
func scaleTile[T float](c []T, ldc, h, w int, beta T) {
	for r := 0; r < h; r++ {
		row := c[r*ldc : r*ldc+w]
		if beta == 0 {
			clear(row)
			continue
		}
		for j := range row {
			row[j] *= beta
		}
	}
}

// packPanel copies rows [ps, pe) of the columns j..j+w (w ≤ nr) of B (row-major, stride ldb; bT:
// given as Bᵀ, B[p, j] at b[j·ldb + p]) into dst, the kk×nr panel of the k-block from row p0:
// row p at dst[(p-p0)·nr:], the columns past w zero. A full panel of B is copied in assembly (in
// Go, generic or not, the copy of a [nr]T row was a call of memmove, and the packing 3x slower);
// a full panel of Bᵀ is transposed by Transpose's block kernel, tw values of p a step, written
// with the panel's row stride nr; the rest one value at a time.
func (kr *kernel[T]) packPanel(dst, b []T, ldb int, bT bool, p0, ps, pe, j, w int) {
	nr := kr.nr
	dst = dst[(ps-p0)*nr : (pe-p0)*nr]
	if !bT {
		if w == nr {
			_ = b[(pe-1)*ldb+j+nr-1]
			kr.packRows(pe-ps, &dst[0], &b[ps*ldb+j], ldb)
			return
		}
		for p := ps; p < pe; p++ {
			d := dst[(p-ps)*nr : (p-ps+1)*nr]
			clear(d[copy(d, b[p*ldb+j:p*ldb+j+w]):])
		}
		return
	}
	p := ps
	if w == nr {
		if cb := (pe - ps) / kr.tw; cb > 0 {
			_ = b[(j+nr-1)*ldb+ps+cb*kr.tw-1]
			kr.trans(&dst[0], &b[j*ldb+ps], nr/8, cb, ldb, nr)
			p += cb * kr.tw
		}
	} else {
		clear(dst)
	}
	for r := range w {
		src := b[(j+r)*ldb : (j+r)*ldb+pe]
		for q := p; q < pe; q++ {
			dst[(q-ps)*nr+r] = src[q]
		}
	}
}

// get returns a pooled slice of n elements.
func (kr *kernel[T]) get(n int) (*[]T, []T) {
	p, _ := kr.scratch.Get().(*[]T)
	if p == nil {
		p = new([]T)
	}
	if cap(*p) < n {
		*p = make([]T, n)
	}
	return p, (*p)[:n]
}

// transpose returns the c×r transpose of the r×c matrix a (stride lda) in pooled memory.
func (kr *kernel[T]) transpose(r, c int, a []T, lda int) (*[]T, []T) {
	p, t := kr.get(r * c)
	Transpose(t, a, r, c, lda)
	return p, t
}

// Transpose writes the transpose of the r×c matrix src (row stride ld) to dst, c×r and
// contiguous. In float64 with AVX2, 8 source rows at a time, swept 4 columns at a time, each step
// four 4×4 blocks transposed in registers and written as whole lines (transpose8x4); in float32
// an 8×8 block a step (transpose8x8s); otherwise,
// and for the rows left, four source rows at a time, swept column by column: each step reads one
// value of each row (four sequential streams) and writes four neighbours of one destination row
// (2.2–2.9× faster than 8×8 tiles in Go on 512-wide matrices, whose power-of-two strides put a
// tile's rows in one cache set).
func Transpose[T float](dst, src []T, r, c, ld int) {
	if r == 0 || c == 0 {
		return
	}
	_, _ = dst[c*r-1], src[(r-1)*ld+c-1]
	i0 := 0
	if kr := kernelOf[T](); hasKernel && r >= 8 && kr != nil {
		i0 = kr.transposeBlocks(dst, src, r, c, ld)
	}
	for ; i0+4 <= r; i0 += 4 {
		s0, s1, s2, s3 := src[i0*ld:i0*ld+c], src[(i0+1)*ld:(i0+1)*ld+c], src[(i0+2)*ld:(i0+2)*ld+c], src[(i0+3)*ld:(i0+3)*ld+c]
		for j := range s0 {
			d := dst[j*r+i0 : j*r+i0+4]
			d[0], d[1], d[2], d[3] = s0[j], s1[j], s2[j], s3[j]
		}
	}
	for i := i0; i < r; i++ {
		for j, v := range src[i*ld : i*ld+c] {
			dst[j*r+i] = v
		}
	}
}

// transposeBlocks transposes the first 8·⌊r/8⌋ rows of src with kr.trans, which takes 8 rows by
// kr.tw columns a step (the last c mod tw columns of those rows are copied here), and returns how
// many rows it did (none when c < tw).
func (kr *kernel[T]) transposeBlocks(d, s []T, r, c, ld int) int {
	cw := kr.tw
	if c < cw {
		return 0
	}
	r8, cb := r/8, c/cw
	kr.trans(&d[0], &s[0], r8, cb, ld, r)
	for i := 0; i < r8*8; i++ {
		for j := cb * cw; j < c; j++ {
			d[j*r+i] = s[i*ld+j]
		}
	}
	return r8 * 8
}

// checkSizes panics, as gonum does, when a slice is too short for its matrix (the assembly kernel
// does not check bounds).
func checkSizes[T float](tA, tB blas.Transpose, m, n, k int, a []T, lda int, b []T, ldb int, c []T, ldc int) {
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
