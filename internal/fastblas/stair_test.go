package fastblas

import (
	"math"
	"math/rand"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

type stairFunc[T float] func(tA, tB blas.Transpose, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int, st *Stair)

// randomStair returns per-column ranges within [0, size): a staircase (lower bounds rising with
// j, as a MADE's sorted degrees give) or arbitrary ranges, with the first head columns empty (a
// whole kernel panel with nothing to do).
func randomStair(rng *rand.Rand, n, size int, staircase bool, head int) (lo, hi []int) {
	lo, hi = make([]int, n), make([]int, n)
	for j := range lo {
		switch {
		case j < head:
			lo[j], hi[j] = size, 0
		case staircase:
			lo[j], hi[j] = j*size/n, size
		default:
			lo[j] = rng.Intn(size + 1)
			hi[j] = lo[j] + rng.Intn(size-lo[j]+1)
		}
	}
	return lo, hi
}

// testStair checks fast within staircases against gonum's gemm on every transpose combination, with
// the tolerance of testGemm. Sum's-index staircases: op(B) is zero outside the staircase for the
// reference, and NaN for fast where the kernel runs outside the ranges' union over its panel of nr
// columns (a term it did not skip would make C NaN), so
// C must equal the product exactly as a GEMM that reads the zeros. Row staircases: each entry of C
// is either untouched or the product's, every entry in the staircase is the product's, and a
// panel of empty columns is untouched. With β = 0, C starts NaN (it must not be read).
func testStair[T float](t *testing.T, fast stairFunc[T], ref gemmFunc[T], er, nr int, u float64) {
	rng := rand.New(rand.NewSource(2))
	sizes := [][3]int{{5, 13, 7}, {70, 37, 9}, {64, 40, 300}, {96, 48, 64}, {3, 20, 10}, {20, 20, 3}, {300, 64, 80}, {9, 24, 20}, {11, 17, 33}, {22, 30, 12}}
	trans := []blas.Transpose{blas.NoTrans, blas.Trans}
	for s, sz := range sizes {
		m, n, k := sz[0], sz[1], sz[2]
		kernel := hasKernel && m >= er && k >= 4
		for _, tA := range trans {
			for _, tB := range trans {
				for v, rows := range []bool{false, true, false, true} {
					beta := []T{0, 1, -0.5, 0}[(s+v)%4]
					alpha := []T{1.5, 1, -0.75}[(s+v)%3]
					size := k
					if rows {
						size = m
					}
					head := 0
					if n >= 32 && s%2 == 0 {
						head = nr
					}
					lo, hi := randomStair(rng, n, size, v < 2, head)
					st := &Stair{Lo: lo, Hi: hi, Rows: rows}
					ar, ac, br, bc := shapes(tA, tB, m, n, k)
					lda, ldb, ldc := ac+3, bc+1, n+2
					if s == 3 { // a stride of 4 or 8 KiB: B is packed
						ldb = (bc/1024 + 1) * 1024
					}
					a := randSlice[T](rng, (ar-1)*lda+ac)
					b := randSlice[T](rng, (br-1)*ldb+bc)
					bz := append([]T(nil), b...) // B for the reference
					at := func(p, j int) int {
						if tB == blas.Trans {
							return j*ldb + p
						}
						return p*ldb + j
					}
					if !rows {
						for j := 0; j < n; j++ {
							j0 := j / nr * nr
							plo, phi := st.span(j0, min(nr, n-j0)) // what the kernel reads
							for p := 0; p < k; p++ {
								if p < lo[j] || p >= hi[j] {
									bz[at(p, j)], b[at(p, j)] = 0, 0
									if kernel && (p < plo || p >= phi) {
										b[at(p, j)] = T(math.NaN())
									}
								}
							}
						}
					}
					c := randSlice[T](rng, (m-1)*ldc+n)
					if beta == 0 { // C must not be read: only what is set or left alone stays NaN
						for i := range c {
							if i%ldc < n {
								c[i] = T(math.NaN())
							}
						}
					}
					c0 := append([]T(nil), c...)
					want := append([]T(nil), c...)
					ref(tA, tB, m, n, k, alpha, a, lda, bz, ldb, beta, want, ldc)
					fast(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, st)
					for r := 0; r < m; r++ {
						for j := 0; j < ldc && r*ldc+j < len(c); j++ {
							i := r*ldc + j
							same := c[i] == c0[i] || c[i] != c[i] && c0[i] != c0[i]
							if j >= n || rows && same && (r < lo[j] || r >= hi[j] || !kernel) {
								if !same && j >= n {
									t.Fatalf("m,n,k=%d,%d,%d: padding entry %d changed", m, n, k, i)
								}
								continue
							}
							if rows && kernel && j < head {
								t.Fatalf("m,n,k=%d,%d,%d tA=%c tB=%c: entry (%d,%d) of an empty panel written", m, n, k, tA, tB, r, j)
							}
							var sum float64
							for p := 0; p < k; p++ {
								ai := r*lda + p
								if tA == blas.Trans {
									ai = p*lda + r
								}
								sum += math.Abs(float64(a[ai]) * float64(bz[at(p, j)]))
							}
							bound := 2 * float64(k+2) * u * (math.Abs(float64(alpha))*sum + betaC(beta, c0[i]))
							if d := math.Abs(float64(c[i] - want[i])); !(d <= bound) {
								t.Fatalf("m,n,k=%d,%d,%d tA=%c tB=%c α=%g β=%g rows=%t: entry (%d,%d) [%d,%d) is %g, want %g (bound %.3g)",
									m, n, k, tA, tB, alpha, beta, rows, r, j, lo[j], hi[j], c[i], want[i], bound)
							}
						}
					}
				}
			}
		}
	}
}

func TestDgemmStair(t *testing.T) {
	eachKernel(t, func(t *testing.T) {
		testStair(t, Serial{}.DgemmStair, gonum.Implementation{}.Dgemm, kernel64.er, kernel64.nr, 0x1p-53)
	})
}

// TestDgemmStairParallel: Implementation's, on row blocks in parallel for the largest size.
func TestDgemmStairParallel(t *testing.T) {
	eachKernel(t, func(t *testing.T) {
		testStair(t, Implementation{}.DgemmStair, gonum.Implementation{}.Dgemm, kernel64.er, kernel64.nr, 0x1p-53)
	})
}

func TestSgemmStair(t *testing.T) {
	eachKernel(t, func(t *testing.T) {
		testStair(t, Serial{}.SgemmStair, gonum.Implementation{}.Sgemm, kernel32.er, kernel32.nr, 0x1p-24)
	})
}
