package graph

import (
	"slices"
	"sync/atomic"
	"unsafe"

	"github.com/affineflow/flow/internal/fastblas"
	"github.com/affineflow/flow/internal/parallel"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/mat"
)

// Bands is the block structure of a masked weight matrix W ⊙ M (in×out) that the fused dense map
// (Dense) uses to skip the zero blocks of its three products. A MADE mask with hidden degrees
// sorted (masks.Hidden) is block-triangular: output unit j of degree m(j) sees only inputs of
// degree ≤ m(j) (< for the outputs), so in the order of the degrees
//
//	z = h·(W ⊙ M):      column group J of z needs only the rows  R(J) of W (and columns R(J) of h),
//	∂W = hᵀ·g:          only rows R(J) of column group J of ∂W are in the mask's support,
//	∂h = g·(W ⊙ M)ᵀ:    column group I of ∂h needs only the columns C(I) of W (and of g),
//
// with R(J) the range of the nonzero rows of W's columns J and C(I) of the nonzero columns of its
// rows I. In a MADE of D inputs about half of each product is zero (a fraction (1 + 1/(D−1))/2 of
// a hidden map is not); PyTorch's masked linear layers (nflows, zuko) multiply the zeros too.
// Skipping them is exact: the skipped terms are products with structural zeros of W ⊙ M (a 0/1
// mask, a soft mask or gates on the mask's support).
//
// With a BLAS that takes staircases (fastblas.Stair) the products follow each column's (row's)
// own range to within a kernel panel, one GEMM call per product and goroutine; otherwise
// (OpenBLAS) they multiply the groups' blocks, one GEMM call each.
type Bands struct {
	cols     []band // column groups of W: [lo, hi) and the rows [from, to) they need
	rows     []band // row groups of W: [lo, hi) and the columns [from, to) they need
	colLines *lines // the rows each column of W needs (nil: they skip less than bandSaving)
	rowLines *lines // the columns each row of W needs
	r, c     int    // W's shape
}

// band is a group [lo, hi) of W's columns (or rows) and the range [from, to) of its rows (or
// columns) that holds every nonzero of the group (from = to: none).
type band struct{ lo, hi, from, to int }

// bandSaving is the least fraction of a product the bands must skip to be used: below it the one
// GEMM of the whole product is kept.
const bandSaving = 1.0 / 8

// NewBands returns the bands of the mask m (in×out, its support: the nonzero entries), or nil
// when neither the column nor the row grouping skips at least an eighth of the work.
func NewBands(m mat.Matrix) *Bands {
	r, c := m.Dims()
	cl, rl := scanLines(m)
	cols, rows := group(cl, r), group(rl, c)
	bs := &Bands{cols: cols, rows: rows, colLines: cl.ifSaving(r), rowLines: rl.ifSaving(c), r: r, c: c}
	if cols == nil && rows == nil && bs.colLines == nil && bs.rowLines == nil {
		return nil
	}
	return bs
}

// BandsOf returns NewBands(m), computed once per mask in g: a graph inverse runs a masked map once
// per pass (D passes for a MADE), and the scan of a 512×512 mask takes milliseconds. A mask is
// copied into g as a constant when the graph is built, so its bands cannot change in g's lifetime.
func (g *Graph) BandsOf(m *mat.Dense) *Bands {
	if bs, ok := g.bands[m]; ok {
		return bs
	}
	if g.bands == nil {
		g.bands = map[*mat.Dense]*Bands{}
	}
	g.bands[m] = NewBands(m)
	return g.bands[m]
}

// BandsOfCols is BandsOf for m with its columns in the order perm (column j is m's column
// perm[j]), as PermuteCols puts them: computed once per mask and order in g.
func (g *Graph) BandsOfCols(m *mat.Dense, perm []int) *Bands {
	if pb, ok := g.permBands[m]; ok && slices.Equal(pb.perm, perm) {
		return pb.bands
	}
	if g.permBands == nil {
		g.permBands = map[*mat.Dense]permBands{}
	}
	bs := NewBands(permutedCols{m, perm})
	g.permBands[m] = permBands{perm: slices.Clone(perm), bands: bs}
	return bs
}

// permBands are the bands of a mask in one column order.
type permBands struct {
	perm  []int
	bands *Bands
}

// permutedCols is the matrix m with its columns in the order perm.
type permutedCols struct {
	m    mat.Matrix
	perm []int
}

func (p permutedCols) Dims() (int, int)    { return p.m.Dims() }
func (p permutedCols) At(i, j int) float64 { return p.m.At(i, p.perm[j]) }
func (p permutedCols) T() mat.Matrix       { return mat.Transpose{Matrix: p} }

// Kept returns the fraction of the multiply-adds of h·(W ⊙ M) and ∂W (cols) and of ∂h (rows) that
// the float64 products perform (1 for a nil Bands or a grouping not used): with staircase GEMMs,
// each panel of a float64 kernel's columns (fastblas.Panel) on its columns' union; otherwise the
// blocks.
func (bs *Bands) Kept() (cols, rows float64) {
	if bs == nil {
		return 1, 1
	}
	if stairsAvailable[float64]() {
		nr := fastblas.Panel[float64]()
		return bs.colLines.kept(bs.r, nr), bs.rowLines.kept(bs.c, nr)
	}
	return bs.kept(bs.cols), bs.kept(bs.rows)
}

func (bs *Bands) kept(g []band) float64 {
	if g == nil {
		return 1
	}
	work := 0
	for _, b := range g {
		work += (b.hi - b.lo) * (b.to - b.from)
	}
	return float64(work) / float64(bs.r*bs.c)
}

// group splits the lines of ln (columns of W, or rows) into groups of a width that is a multiple
// of 16 (a float32 kernel's panel) and about n/8, each with the union of its lines' ranges (in a
// dimension of length other), neighbours with one range merged; nil if the groups skip less than
// bandSaving of n·other.
func group(ln *lines, other int) []band {
	n := len(ln.lo)
	w := max(16, (n/8+15)/16*16)
	var bs []band
	kept := 0
	for lo := 0; lo < n; lo += w {
		b := band{lo: lo, hi: min(lo+w, n), from: other, to: 0}
		for j := b.lo; j < b.hi; j++ {
			if ln.lo[j] < ln.hi[j] {
				b.from, b.to = min(b.from, ln.lo[j]), max(b.to, ln.hi[j])
			}
		}
		if b.from >= b.to {
			b.from, b.to = 0, 0
		}
		if k := len(bs) - 1; k >= 0 && bs[k].from == b.from && bs[k].to == b.to {
			bs[k].hi = b.hi
		} else {
			bs = append(bs, b)
		}
		kept += (b.hi - b.lo) * (b.to - b.from)
	}
	if float64(kept) > (1-bandSaving)*float64(n*other) {
		return nil
	}
	return bs
}

// block is one product of a block-sparse GEMM:
//
//	C[m0:m1, c0:c1] += op(A)[m0:m1, p0:p1] · op(B)[p0:p1, c0:c1].
type block struct{ m0, m1, c0, c1, p0, p1 int }

// gemmBlocks adds the products of bs to C (row-major, like op(A), m×k, and op(B), k×n) with the
// graph's serial GEMM, on up to GOMAXPROCS/beside goroutines when the blocks hold at least 2^20
// multiply-adds: in float64 whole blocks each when there are at least two per goroutine, else a
// share of every block's rows. It may reorder bs. With fastblas (copyTransposed) a transposed A
// whose row stride is a multiple of 4 KiB is copied to its transpose once, in scratch (per block
// the GEMM would copy its part of it again, in every goroutine; otherwise fastblas reads it in
// place); a transposed B is passed on (fastblas packs its panels from it). OpenBLAS takes both as
// they are (its packing transposes).
//
// With beta 0 each block is set (its product, or zero for a block with no k), not added to: for
// disjoint blocks, which then need no clearing of C before (C outside the blocks is left as it
// is). Each block's part of C is then cleared inside its GEMM, while in cache, not all of C at
// once before.
func gemmBlocks[T Float](tA, tB blas.Transpose, m, n, k int, bs []block, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int, scratch *[]T, beside int) {
	var zero T
	_, isF64 := any(zero).(float64)
	if copyTransposed && tA != blas.NoTrans && lda*int(unsafe.Sizeof(zero))%4096 == 0 {
		a, lda, tA = transposeTo(scratch, m, k, a, lda), k, blas.NoTrans
	}
	work := 0
	for _, q := range bs {
		work += q.work()
	}
	procs := 1
	if work >= 1<<20 {
		procs = procsBeside(beside)
	}
	// one computes rows [m0, m1) of block q
	one := func(q block, m0, m1 int) {
		if m0 >= m1 || q.c0 >= q.c1 {
			return
		}
		if q.p0 >= q.p1 {
			if beta == 0 {
				for r := m0; r < m1; r++ {
					clear(c[r*ldc+q.c0 : r*ldc+q.c1])
				}
			}
			return
		}
		ao, bo := m0*lda+q.p0, q.p0*ldb+q.c0
		if tA != blas.NoTrans {
			ao = q.p0*lda + m0
		}
		if tB != blas.NoTrans {
			bo = q.c0*ldb + q.p0
		}
		gemmSerial(tA, tB, m1-m0, q.c1-q.c0, q.p1-q.p0, a[ao:], lda, b[bo:], ldb, beta, c[m0*ldc+q.c0:], ldc)
	}
	switch {
	case procs == 1:
		for _, q := range bs {
			one(q, q.m0, q.m1)
		}
	case len(bs) >= 2*procs && isF64:
		// whole blocks to the goroutines, the largest first, each taking the next one free: a
		// block's B is packed once, not once per goroutine (on the two hyperthreads of one core
		// here, the one left alone at the end runs faster). The blocks are disjoint, so their order
		// is free and each value is computed as on one goroutine. In float32 (half the bytes to
		// pack, a 6-row kernel) it made the D=63 step about 10% slower; in float64 5–15% faster.
		slices.SortFunc(bs, func(x, y block) int { return y.work() - x.work() })
		var next atomic.Int64
		parallel.For(procs, func(int) {
			for i := int(next.Add(1)) - 1; i < len(bs); i = int(next.Add(1)) - 1 {
				one(bs[i], bs[i].m0, bs[i].m1)
			}
		})
	default:
		// every block's rows shared, cut at multiples of 12 (whole 4- and 6-row kernels)
		parallel.For(procs, func(w int) {
			for _, q := range bs {
				rows := q.m1 - q.m0
				m0, m1 := q.m0+(w*rows/procs+6)/12*12, q.m0+((w+1)*rows/procs+6)/12*12
				if w == 0 {
					m0 = q.m0
				}
				if w == procs-1 {
					m1 = q.m1
				}
				one(q, m0, m1)
			}
		})
	}
}

// work is the number of multiply-adds of q.
func (q block) work() int { return (q.m1 - q.m0) * (q.c1 - q.c0) * (q.p1 - q.p0) }

// transposeTo writes the transpose of the c×r matrix src (stride ld), r×c, to *scratch, growing it
// as needed, and returns it.
func transposeTo[T Float](scratch *[]T, r, c int, src []T, ld int) []T {
	if len(*scratch) < r*c {
		*scratch = make([]T, r*c)
	}
	t := (*scratch)[:r*c]
	fastblas.Transpose(t, src, c, r, ld)
	return t
}

// forward returns the blocks of z += h·(W ⊙ M) for n rows of h: column groups of W and their rows.
func (bs *Bands) forward(dst []block, n int) []block {
	for _, b := range bs.cols {
		dst = append(dst, block{0, n, b.lo, b.hi, b.from, b.to})
	}
	return dst
}

// weightGrad returns the blocks of ∂W += hᵀ·g over n rows: each column group's rows of the support.
func (bs *Bands) weightGrad(dst []block, n int) []block {
	for _, b := range bs.cols {
		dst = append(dst, block{b.from, b.to, b.lo, b.hi, 0, n})
	}
	return dst
}

// inputGrad returns the blocks of ∂h += g·(W ⊙ M)ᵀ for n rows of g: row groups of W and their
// columns.
func (bs *Bands) inputGrad(dst []block, n int) []block {
	for _, b := range bs.rows {
		dst = append(dst, block{0, n, b.lo, b.hi, b.from, b.to})
	}
	return dst
}
