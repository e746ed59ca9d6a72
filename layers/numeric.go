package layers

import (
	"sync"

	"github.com/affineflow/flow/internal/fastblas"
	"github.com/affineflow/flow/internal/vmath"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

// The numeric paths (Transform, Inverse) run on raw row-major slices with the BLAS installed in
// blas64 by package graph: internal/fastblas (AVX-512 or AVX2 kernels, gonum's without them)
// by default, OpenBLAS with -tags openblas. Scratch memory comes
// from a pooled arena, so a call allocates little beyond the matrices it returns.

// arena hands out float64 scratch slices for one call, as a stack (mark, release); putArena makes
// its memory reusable and grows it to the call's peak, so the next call of that size allocates
// nothing.
type arena struct {
	buf  []float64
	off  int // virtual top of the stack (may pass len(buf): then take allocates)
	peak int
}

var arenas = sync.Pool{New: func() any { return new(arena) }}

func getArena() *arena { return arenas.Get().(*arena) }

func putArena(a *arena) {
	if a.peak > len(a.buf) {
		a.buf = make([]float64, a.peak)
	}
	a.off, a.peak = 0, 0
	arenas.Put(a)
}

// take returns n values (not zeroed).
func (a *arena) take(n int) []float64 {
	lo := a.off
	a.off += n
	a.peak = max(a.peak, a.off)
	if a.off > len(a.buf) {
		return make([]float64, n)
	}
	return a.buf[lo:a.off:a.off]
}

// mark and release free everything taken after the mark.
func (a *arena) mark() int     { return a.off }
func (a *arena) release(m int) { a.off = m }

// general returns an uninitialized rows×cols contiguous matrix from the arena.
func (a *arena) general(rows, cols int) blas64.General {
	return blas64.General{Rows: rows, Cols: cols, Stride: cols, Data: a.take(rows * cols)}
}

// chunk is a block of output columns [c0, c1) of a masked map whose mask is zero outside input
// rows [r0, r1): z[:, c0:c1] = h[:, r0:r1]·W[r0:r1, c0:c1] is exact.
type chunk struct{ c0, c1, r0, r1 int }

// effNet is the numeric form of a Net: the effective weights W⊙M (in×out, row-major), the biases,
// and for each map its column chunks with the input rows their masks allow, and each column's own
// range of rows. With MADE's sorted hidden degrees the hidden-to-hidden mask is a staircase, so
// chunking skips about (1 - 1/C)/2 of its multiply-adds for C chunks; with fastblas as the BLAS a
// product follows the columns' ranges instead, to within the kernel's 8 columns, in one call
// (fastblas.Stair; smaller chunks cost more per call than they saved). It is cached per parameter
// version and read-only (see weightcache.go).
type effNet struct {
	w        []blas64.General
	b        [][]float64
	chunks   [][]chunk
	stairs   []*fastblas.Stair // per map, the rows each column needs (nil: none skips an eighth)
	residual []bool
	act      Activation
	serial   uint64 // unique per cached effNet (effSerial)

	tOnce sync.Once
	t     []blas64.General // w transposed (out×in), for products of fewer than smallRows rows
}

// smallRows: products of fewer rows (one sample at a time) use the transposed weights, so that
// each output is one dot product with a contiguous weight row; gonum's kernel, which takes them
// (fastblas starts at 4 rows), would run one short axpy per weight row of the row-major layout.
const smallRows = 4

// transposed returns the effective weights transposed, computed on first use (most nets never
// see a product of fewer than smallRows rows).
func (e *effNet) transposed() []blas64.General {
	e.tOnce.Do(func() {
		e.t = make([]blas64.General, len(e.w))
		for k, w := range e.w {
			e.t[k] = transposeOf(w)
		}
	})
	return e.t
}

// mul adds h[:, r0:r1]·W_k[r0:r1, c0:c1] to z[:, zc:zc+c1-c0], W_k the effective weights of map k.
func (e *effNet) mul(k int, h blas64.General, r0, r1, c0, c1 int, z blas64.General, zc int) {
	if h.Rows < smallRows {
		gemmAddT(h, r0, r1, e.transposed()[k], c0, c1, z, zc)
		return
	}
	gemmAdd(h, r0, r1, e.w[k], c0, c1, z, zc)
}

// chunkWidth is the column-chunk width for a map with out outputs: at most 16 chunks of at least
// 32 (a 512-wide hidden map keeps 53% of its multiply-adds, against 56% with 8 chunks).
func chunkWidth(out int) int {
	if out < 64 {
		return out
	}
	return max(32, (out+15)/16)
}

// computeEffective computes W⊙M for every map into fresh memory, with the row range of each column
// chunk. Use Net.effective, which caches it.
func (n *Net) computeEffective() *effNet {
	e := &effNet{act: n.Act.orDefault()}
	for _, l := range n.Layers {
		s := l.W.Shape()
		in, out := s[0], s[1]
		w := heapGeneral(in, out)
		src := l.W.Data()
		cw := chunkWidth(out)
		cs := make([]chunk, 0, (out+cw-1)/cw)
		for c0 := 0; c0 < out; c0 += cw {
			cs = append(cs, chunk{c0: c0, c1: min(c0+cw, out), r0: in, r1: 0})
		}
		var st *fastblas.Stair
		if l.Mask == nil {
			copy(w.Data, src)
			for k := range cs {
				cs[k].r0, cs[k].r1 = 0, in
			}
		} else {
			m := l.EffectiveMask().RawMatrix()
			st = &fastblas.Stair{Lo: make([]int, out), Hi: make([]int, out)}
			for j := range st.Lo {
				st.Lo[j] = in
			}
			for i := 0; i < in; i++ {
				mrow := m.Data[i*m.Stride : i*m.Stride+out]
				wrow, srow := w.Data[i*out:(i+1)*out], src[i*out:(i+1)*out]
				for j, mv := range mrow {
					wrow[j] = srow[j] * mv
					if mv != 0 {
						c := &cs[j/cw]
						c.r0, c.r1 = min(c.r0, i), max(c.r1, i+1)
						st.Lo[j], st.Hi[j] = min(st.Lo[j], i), i+1
					}
				}
			}
			st = saving(st, in)
		}
		e.stairs = append(e.stairs, st)
		e.w = append(e.w, w)
		e.b = append(e.b, l.B.Data())
		e.chunks = append(e.chunks, cs)
		e.residual = append(e.residual, l.Residual)
	}
	return e
}

// forward returns the raw network output for the rows of h (any stride) in arena memory.
func (e *effNet) forward(h blas64.General, a *arena) blas64.General {
	for k, w := range e.w {
		z := a.general(h.Rows, w.Cols)
		act := k < len(e.w)-1 // the activation is still to apply
		if h.Rows >= smallRows && stairBLAS() {
			// one GEMM that sets z (a staircase when the mask saves), then the bias, and a ReLU
			// with it, in one pass over z: z initialized to the bias, then added to by the GEMM
			// and read again by the ReLU, went over it twice more (the same bits: the kernel adds
			// its sum to the bias in one rounding either way, up to k = 256 inputs)
			fastblas.Implementation{}.DgemmStair(blas.NoTrans, blas.NoTrans, h.Rows, w.Cols, w.Rows, 1, h.Data, h.Stride, w.Data, w.Stride, 0, z.Data, z.Stride, e.stairs[k])
			relu := act && e.act == ReLU
			vmath.AddBias(z.Data, z.Rows, z.Stride, e.b[k], relu)
			act = act && !relu
		} else {
			fillRows(z, e.b[k])
			for _, c := range e.chunks[k] {
				e.mul(k, h, c.r0, c.r1, c.c0, c.c1, z, c.c0)
			}
		}
		if k == len(e.w)-1 {
			return z
		}
		if act {
			e.act.Apply(z.Data)
		}
		if e.residual[k] {
			addInto(z, h, 0, z.Cols)
		}
		h = z
	}
	return h
}

// stairBLAS reports whether the installed BLAS is fastblas, whose GEMM takes staircases.
func stairBLAS() bool {
	_, ok := blas64.Implementation().(fastblas.Implementation)
	return ok
}

// saving returns st, or nil when its ranges (of rows of a map with in inputs) keep more than
// seven eighths of the product; a column with no range gets the empty one [0, 0).
func saving(st *fastblas.Stair, in int) *fastblas.Stair {
	kept := 0
	for j, lo := range st.Lo {
		if lo >= st.Hi[j] {
			st.Lo[j], st.Hi[j] = 0, 0
		}
		kept += st.Hi[j] - st.Lo[j]
	}
	if 8*kept > 7*in*len(st.Lo) {
		return nil
	}
	return st
}

// fillRows sets every row of z to v.
func fillRows(z blas64.General, v []float64) {
	for r := 0; r < z.Rows; r++ {
		copy(z.Data[r*z.Stride:r*z.Stride+z.Cols], v)
	}
}

// gemmAdd adds h[:, r0:r1]·w[r0:r1, c0:c1] to z[:, zc:zc+c1-c0].
func gemmAdd(h blas64.General, r0, r1 int, w blas64.General, c0, c1 int, z blas64.General, zc int) {
	gemmInto(h, r0, r1, w, c0, c1, z, zc, 1)
}

// gemmSet sets z[:, zc:zc+c1-c0] to h[:, r0:r1]·w[r0:r1, c0:c1] (zero when r1 <= r0): gemmAdd
// with β = 0, which fastblas's kernels compute without reading z.
func gemmSet(h blas64.General, r0, r1 int, w blas64.General, c0, c1 int, z blas64.General, zc int) {
	gemmInto(h, r0, r1, w, c0, c1, z, zc, 0)
}

// gemmInto sets z[:, zc:zc+c1-c0] to β times itself plus h[:, r0:r1]·w[r0:r1, c0:c1], β 0 or 1.
func gemmInto(h blas64.General, r0, r1 int, w blas64.General, c0, c1 int, z blas64.General, zc int, beta float64) {
	if c1 <= c0 || h.Rows == 0 {
		return
	}
	C := blas64.General{Rows: z.Rows, Cols: c1 - c0, Stride: z.Stride, Data: z.Data[zc:]}
	if r1 <= r0 { // no terms: β·C, C itself when β = 1
		if beta == 0 {
			for r := 0; r < C.Rows; r++ {
				clear(C.Data[r*C.Stride : r*C.Stride+C.Cols])
			}
		}
		return
	}
	A := blas64.General{Rows: h.Rows, Cols: r1 - r0, Stride: h.Stride, Data: h.Data[r0:]}
	B := blas64.General{Rows: r1 - r0, Cols: c1 - c0, Stride: w.Stride, Data: w.Data[r0*w.Stride+c0:]}
	blas64.Gemm(blas.NoTrans, blas.NoTrans, 1, A, B, beta, C)
}

// gemmAddT is gemmAdd with the weights given transposed, for a few rows: it adds
// h[:, r0:r1]·wt[c0:c1, r0:r1]ᵀ, one matrix-vector product per row (gonum's Dgemm would start
// goroutines for one row times more than 192 columns).
func gemmAddT(h blas64.General, r0, r1 int, wt blas64.General, c0, c1 int, z blas64.General, zc int) {
	if r1 <= r0 || c1 <= c0 {
		return
	}
	A := blas64.General{Rows: c1 - c0, Cols: r1 - r0, Stride: wt.Stride, Data: wt.Data[c0*wt.Stride+r0:]}
	for r := 0; r < h.Rows; r++ {
		x := blas64.Vector{N: r1 - r0, Inc: 1, Data: h.Data[r*h.Stride+r0:]}
		y := blas64.Vector{N: c1 - c0, Inc: 1, Data: z.Data[r*z.Stride+zc:]}
		blas64.Gemv(blas.NoTrans, 1, A, x, 1, y)
	}
}

// transposeOf returns the transpose of w in fresh contiguous memory.
func transposeOf(w blas64.General) blas64.General {
	t := heapGeneral(w.Cols, w.Rows)
	fastblas.Transpose(t.Data, w.Data, w.Rows, w.Cols, w.Stride)
	return t
}

// addInto adds columns [c0, c1) of h to the same columns of z.
func addInto(z, h blas64.General, c0, c1 int) {
	for r := 0; r < z.Rows; r++ {
		zr := z.Data[r*z.Stride+c0 : r*z.Stride+c1]
		hr := h.Data[r*h.Stride+c0 : r*h.Stride+c1]
		for j := range zr {
			zr[j] += hr[j]
		}
	}
}
