package benchmarks

import (
	"fmt"
	"testing"

	"github.com/affineflow/flow/graph"
	"gonum.org/v1/gonum/blas"
)

// BenchmarkGEMM measures the GFLOP/s of the build's GEMM (graph.Dgemm, graph.Sgemm: what the
// fused training ops call, on all cores) on square products of side 1024 (its peak) and on the
// largest product of the D=63 training step, 256×512 by 512×512, plain and with a transposed
// operand (∂W = hᵀ·g, ∂h = g·Wᵀ).
func BenchmarkGEMM(b *testing.B) {
	shapes := []struct {
		name    string
		m, n, k int
		tA, tB  blas.Transpose
	}{
		{"1024", 1024, 1024, 1024, blas.NoTrans, blas.NoTrans},
		{"step", 256, 512, 512, blas.NoTrans, blas.NoTrans},
		{"step-AT", 512, 512, 256, blas.Trans, blas.NoTrans},
		{"step-BT", 256, 512, 512, blas.NoTrans, blas.Trans},
	}
	for _, s := range shapes {
		flops := 2 * float64(s.m) * float64(s.n) * float64(s.k)
		lda, ldb := s.k, s.n
		if s.tA != blas.NoTrans {
			lda = s.m
		}
		if s.tB != blas.NoTrans {
			ldb = s.k
		}
		b.Run(fmt.Sprintf("float64/%s", s.name), func(b *testing.B) {
			a, bb, c := make([]float64, s.m*s.k), make([]float64, s.k*s.n), make([]float64, s.m*s.n)
			fill64(a, bb)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				graph.Dgemm(s.tA, s.tB, s.m, s.n, s.k, 1, a, lda, bb, ldb, 0, c, s.n)
			}
			b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
		b.Run(fmt.Sprintf("float32/%s", s.name), func(b *testing.B) {
			a, bb, c := make([]float32, s.m*s.k), make([]float32, s.k*s.n), make([]float32, s.m*s.n)
			for i := range a {
				a[i] = float32(i%7) - 3
			}
			for i := range bb {
				bb[i] = float32(i%5) - 2
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				graph.Sgemm(s.tA, s.tB, s.m, s.n, s.k, 1, a, lda, bb, ldb, 0, c, s.n)
			}
			b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}

func fill64(xs ...[]float64) {
	for _, x := range xs {
		for i := range x {
			x[i] = float64(i%7) - 3
		}
	}
}
