package fastblas

import (
	"math"
	"math/rand"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

func randSlice(rng *rand.Rand, n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = rng.NormFloat64()
	}
	return s
}

// TestDgemm compares with gonum on every transpose combination, odd sizes, padded strides and
// the β cases (0, 1, other).
func TestDgemm(t *testing.T) {
	if !Available() {
		t.Log("no AVX2+FMA: Dgemm is gonum's")
	}
	rng := rand.New(rand.NewSource(1))
	sizes := [][3]int{{4, 8, 4}, {5, 9, 7}, {64, 64, 64}, {67, 130, 300}, {300, 17, 33}, {513, 126, 512}, {3, 40, 40}, {40, 5, 40}, {256, 2, 100}, {9, 1, 5}}
	trans := []blas.Transpose{blas.NoTrans, blas.Trans}
	for _, sz := range sizes {
		m, n, k := sz[0], sz[1], sz[2]
		for _, tA := range trans {
			for _, tB := range trans {
				for _, beta := range []float64{0, 1, -0.5} {
					ar, ac := m, k
					if tA == blas.Trans {
						ar, ac = k, m
					}
					br, bc := k, n
					if tB == blas.Trans {
						br, bc = n, k
					}
					lda, ldb, ldc := ac+3, bc+1, n+2
					a := randSlice(rng, (ar-1)*lda+ac)
					b := randSlice(rng, (br-1)*ldb+bc)
					c := randSlice(rng, (m-1)*ldc+n)
					want := append([]float64(nil), c...)
					gonum.Implementation{}.Dgemm(tA, tB, m, n, k, 1.5, a, lda, b, ldb, beta, want, ldc)
					Implementation{}.Dgemm(tA, tB, m, n, k, 1.5, a, lda, b, ldb, beta, c, ldc)
					for i := range c {
						if math.Abs(c[i]-want[i]) > 1e-11*(1+math.Abs(want[i])) {
							t.Fatalf("m,n,k=%d,%d,%d tA=%c tB=%c β=%g: entry %d is %g, want %g", m, n, k, tA, tB, beta, i, c[i], want[i])
						}
					}
				}
			}
		}
	}
}

func benchGemm(b *testing.B, impl blas.Float64, m, n, k int) {
	rng := rand.New(rand.NewSource(1))
	x, y, z := randSlice(rng, m*k), randSlice(rng, k*n), make([]float64, m*n)
	b.SetBytes(int64(2 * m * n * k)) // MB/s reads as MFLOP/s
	for i := 0; i < b.N; i++ {
		impl.Dgemm(blas.NoTrans, blas.NoTrans, m, n, k, 1, x, k, y, n, 0, z, n)
	}
}

func BenchmarkDgemmFast(b *testing.B)  { benchGemm(b, Implementation{}, 2048, 128, 128) }
func BenchmarkDgemmGonum(b *testing.B) { benchGemm(b, gonum.Implementation{}, 2048, 128, 128) }
