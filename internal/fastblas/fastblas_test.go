package fastblas

import (
	"fmt"
	"math"
	"math/rand"
	"runtime"
	"testing"
	"time"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// eachKernel runs f as a subtest with each set of kernels this CPU has, AVX2 and AVX-512 (none
// without AVX2: gonum's).
func eachKernel(t *testing.T, f func(t *testing.T)) {
	defer func(k64 *kernel[float64], k32 *kernel[float32]) { kernel64, kernel32 = k64, k32 }(kernel64, kernel32)
	sets := []struct {
		name string
		k64  *kernel[float64]
		k32  *kernel[float32]
		ok   bool
	}{{"avx2", ymm64, ymm32, true}, {"avx512", zmm64, zmm32, hasZMM}}
	for _, s := range sets {
		if !s.ok {
			t.Logf("%s: not on this CPU", s.name)
			continue
		}
		kernel64, kernel32 = s.k64, s.k32
		t.Run(s.name, f)
	}
}

func randSlice[T float](rng *rand.Rand, n int) []T {
	s := make([]T, n)
	for i := range s {
		s[i] = T(rng.NormFloat64())
	}
	return s
}

// shapes returns the rows and columns of A and B as stored, for op(A) m×k and op(B) k×n.
func shapes(tA, tB blas.Transpose, m, n, k int) (ar, ac, br, bc int) {
	ar, ac, br, bc = m, k, k, n
	if tA == blas.Trans {
		ar, ac = k, m
	}
	if tB == blas.Trans {
		br, bc = n, k
	}
	return ar, ac, br, bc
}

// betaC is |β·c|, 0 when β is (c may then be NaN: C is not read).
func betaC[T float](beta, c T) float64 {
	if beta == 0 {
		return 0
	}
	return math.Abs(float64(beta) * float64(c))
}

type gemmFunc[T float] func(tA, tB blas.Transpose, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int)

// testGemm compares fast with gonum's gemm of the type on every transpose combination, the given
// sizes, strides larger than the columns and several α, β (0, 1, other; with β = 0 C is NaN, which
// must not reach the result). An entry may differ by
// 2·(k+2)·u·(|α|·Σ_p |A[i,p]||B[p,j]| + |β||C[i,j]|), u the unit roundoff (2^-24 or 2^-53): both
// are within (k+2)·u of that sum from the exact value. The padding of C must be untouched.
func testGemm[T float](t *testing.T, fast, ref gemmFunc[T], u float64, sizes [][3]int) {
	rng := rand.New(rand.NewSource(1))
	trans := []blas.Transpose{blas.NoTrans, blas.Trans}
	for s, sz := range sizes {
		m, n, k := sz[0], sz[1], sz[2]
		for _, tA := range trans {
			for _, tB := range trans {
				for _, beta := range []T{0, 1, -0.5} {
					alpha := []T{1.5, 1, -0.75, 0}[(s+int(beta*2)+3)%4]
					ar, ac, br, bc := shapes(tA, tB, m, n, k)
					lda, ldb, ldc := ac+3, bc+1, n+2
					if s%2 == 1 { // a stride of 4 or 8 KiB: B is packed (with enough rows)
						ldb = (bc/1024 + 1) * 1024
					}
					if s%3 == 2 { // and A's: a transposed A is copied (AVX2) or read in place
						lda = (ac/1024 + 1) * 1024
					}
					a := randSlice[T](rng, (ar-1)*lda+ac)
					b := randSlice[T](rng, (br-1)*ldb+bc)
					c := randSlice[T](rng, (m-1)*ldc+n)
					if beta == 0 { // C must not be read
						for i := range c {
							if i%ldc < n {
								c[i] = T(math.NaN())
							}
						}
					}
					c0 := append([]T(nil), c...)
					want := append([]T(nil), c...)
					ref(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, want, ldc)
					fast(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
					for i := range c {
						r, j := i/ldc, i%ldc
						if j >= n {
							if c[i] != c0[i] {
								t.Fatalf("m,n,k=%d,%d,%d tA=%c tB=%c: padding entry %d changed", m, n, k, tA, tB, i)
							}
							continue
						}
						var sum float64
						for p := 0; p < k; p++ {
							ai, bi := r*lda+p, p*ldb+j
							if tA == blas.Trans {
								ai = p*lda + r
							}
							if tB == blas.Trans {
								bi = j*ldb + p
							}
							sum += math.Abs(float64(a[ai]) * float64(b[bi]))
						}
						bound := 2 * float64(k+2) * u * (math.Abs(float64(alpha))*sum + betaC(beta, c0[i]))
						if d := math.Abs(float64(c[i] - want[i])); !(d <= bound) {
							t.Fatalf("m,n,k=%d,%d,%d tA=%c tB=%c α=%g β=%g: entry (%d,%d) is %g, want %g (bound %.3g)", m, n, k, tA, tB, alpha, beta, r, j, c[i], want[i], bound)
						}
					}
				}
			}
		}
	}
}

// TestGemmProcs runs the large shapes on 7 goroutines (row blocks not multiples of 64 nor of the
// kernel's rows).
func TestGemmProcs(t *testing.T) {
	if testing.Short() {
		t.Skip("large products on 7 goroutines (-short)")
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(7))
	eachKernel(t, func(t *testing.T) {
		testGemm(t, Implementation{}.Dgemm, gonum.Implementation{}.Dgemm, 0x1p-53, largeSizes)
		testGemm(t, Implementation{}.Sgemm, gonum.Implementation{}.Sgemm, 0x1p-24, largeSizes)
	})
}

// gemmSizes: large shapes (several k-blocks, row blocks and goroutines, the narrow path and the
// gonum rows) and 200 random ones with m, n, k in [1, 70] (with -short: 40).
func gemmSizes() [][3]int {
	sizes := append([][3]int(nil), largeSizes...)
	rng := rand.New(rand.NewSource(2))
	n := 200
	if testing.Short() {
		n = 40
	}
	for range n {
		sizes = append(sizes, [3]int{1 + rng.Intn(70), 1 + rng.Intn(70), 1 + rng.Intn(70)})
	}
	return sizes
}

var largeSizes = [][3]int{{4, 8, 4}, {6, 16, 4}, {5, 9, 7}, {64, 64, 64}, {67, 130, 300}, {300, 17, 33}, {513, 126, 512}, {3, 40, 40}, {40, 5, 40}, {256, 2, 100}, {9, 1, 5}, {131, 47, 700}, {70, 70, 70}, {1, 1, 1}, {200, 33, 40}}

func TestDgemm(t *testing.T) {
	if !Available() {
		t.Log("no AVX2+FMA: Dgemm is gonum's")
	}
	eachKernel(t, func(t *testing.T) {
		testGemm(t, Implementation{}.Dgemm, gonum.Implementation{}.Dgemm, 0x1p-53, gemmSizes())
	})
}

func TestSgemm(t *testing.T) {
	if !Available() {
		t.Log("no AVX2+FMA: Sgemm is gonum's")
	}
	eachKernel(t, func(t *testing.T) {
		testGemm(t, Implementation{}.Sgemm, gonum.Implementation{}.Sgemm, 0x1p-24, gemmSizes())
	})
}

// TestKern4x16s checks the 4×16 float32 kernel (Sgemm's for the last rows) on both A layouts
// against a float64 sum.
func TestKern4x16s(t *testing.T) {
	if !Available() {
		t.Skip("no AVX2+FMA")
	}
	rng := rand.New(rand.NewSource(3))
	for _, k := range []int{1, 2, 7, 256} {
		for _, trans := range []bool{false, true} {
			lda, aps := k+1, 1
			if trans {
				lda, aps = 1, 5
			}
			a, b := randSlice[float32](rng, 4*k*5+8), randSlice[float32](rng, k*17)
			c := randSlice[float32](rng, 3*18+16)
			c0 := append([]float32(nil), c...)
			kern4x16s(k, &a[0], lda, aps, &b[0], 17, &c[0], 18, 0.5, 1, false)
			for i := 0; i < 4; i++ {
				for j := 0; j < 16; j++ {
					var s, abs float64
					for p := 0; p < k; p++ {
						v := float64(a[i*lda+p*aps]) * float64(b[p*17+j])
						s, abs = s+v, abs+math.Abs(v)
					}
					want := float64(c0[i*18+j]) + 0.5*s
					if d := math.Abs(float64(c[i*18+j]) - want); d > float64(k+2)*0x1p-24*(abs+math.Abs(float64(c0[i*18+j]))) {
						t.Fatalf("k=%d trans=%v: C[%d,%d] = %g, want %g", k, trans, i, j, c[i*18+j], want)
					}
				}
			}
		}
	}
}

// BenchmarkGemm: Dgemm and Sgemm, this package's and gonum's, C = A·B on the shape of a training
// step's layer (256 rows × 512 × 512) and on 1024³.
func BenchmarkGemm(b *testing.B) {
	for _, s := range [][3]int{{256, 512, 512}, {1024, 1024, 1024}} {
		m, n, k := s[0], s[1], s[2]
		name := fmt.Sprintf("%dx%dx%d", m, n, k)
		b.Run("Dgemm/fast/"+name, func(b *testing.B) { benchGemm(b, Implementation{}.Dgemm, m, n, k) })
		b.Run("Dgemm/gonum/"+name, func(b *testing.B) { benchGemm(b, gonum.Implementation{}.Dgemm, m, n, k) })
		b.Run("Sgemm/fast/"+name, func(b *testing.B) { benchGemm(b, Implementation{}.Sgemm, m, n, k) })
		b.Run("Sgemm/gonum/"+name, func(b *testing.B) { benchGemm(b, gonum.Implementation{}.Sgemm, m, n, k) })
	}
}

func benchGemm[T float](b *testing.B, gemm gemmFunc[T], m, n, k int) {
	rng := rand.New(rand.NewSource(1))
	x, y, z := randSlice[T](rng, m*k), randSlice[T](rng, k*n), make([]T, m*n)
	b.ResetTimer()
	t0 := time.Now()
	for i := 0; i < b.N; i++ {
		gemm(blas.NoTrans, blas.NoTrans, m, n, k, 1, x, k, y, n, 0, z, n)
	}
	b.ReportMetric(2*float64(m*n*k)*float64(b.N)/time.Since(t0).Seconds()/1e9, "GFLOP/s")
}

func BenchmarkDgemmFast(b *testing.B) {
	benchGemm(b, Implementation{}.Dgemm, 2048, 128, 128)
}
func BenchmarkDgemmGonum(b *testing.B) {
	benchGemm(b, gonum.Implementation{}.Dgemm, 2048, 128, 128)
}

// TestTranspose: every entry lands in its place, for row counts around the eight- and four-row
// steps and column counts around the four-column one, with strided sources, in both types.
func TestTranspose(t *testing.T) {
	for _, r := range []int{1, 3, 4, 5, 8, 9, 16, 21, 64} {
		for _, c := range []int{1, 3, 4, 7, 8, 13, 17, 64} {
			ld := c + 3
			src := make([]float64, (r-1)*ld+c)
			for i := range src {
				src[i] = float64(i + 1)
			}
			dst := make([]float64, r*c)
			Transpose(dst, src, r, c, ld)
			s32 := make([]float32, len(src))
			for i, v := range src {
				s32[i] = float32(v)
			}
			d32 := make([]float32, r*c)
			Transpose(d32, s32, r, c, ld)
			for i := range r {
				for j := range c {
					if dst[j*r+i] != src[i*ld+j] || d32[j*r+i] != s32[i*ld+j] {
						t.Fatalf("%d×%d: (%d, %d) is %g / %g, want %g", r, c, i, j, dst[j*r+i], d32[j*r+i], src[i*ld+j])
					}
				}
			}
		}
	}
}
