package graph

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// sgemm is the float32 GEMM of the fused ops (gonum's unless a build sets a faster one);
// dgemmSerial and sgemmSerial are the graph's GEMMs on the calling goroutine (gemmBlocks splits
// its products itself).
var (
	sgemm       = gonum.Implementation{}.Sgemm
	dgemmSerial = gonum.Implementation{}.Dgemm
	sgemmSerial = gonum.Implementation{}.Sgemm
)

// gemm computes C = β·C + op(A)·op(B) for float32 or float64 slices with the graph's BLAS;
// gemmSerial does it on the calling goroutine.
func gemm[T Float](tA, tB blas.Transpose, m, n, k int, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	gemmWith(dgemm, sgemm, tA, tB, m, n, k, a, lda, b, ldb, beta, c, ldc)
}

func gemmSerial[T Float](tA, tB blas.Transpose, m, n, k int, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	gemmWith(dgemmSerial, sgemmSerial, tA, tB, m, n, k, a, lda, b, ldb, beta, c, ldc)
}

// gemmWith is gemm with the float64 GEMM d and the float32 one s.
func gemmWith[T Float](d func(blas.Transpose, blas.Transpose, int, int, int, float64, []float64, int, []float64, int, float64, []float64, int),
	s func(blas.Transpose, blas.Transpose, int, int, int, float32, []float32, int, []float32, int, float32, []float32, int),
	tA, tB blas.Transpose, m, n, k int, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	switch a := any(a).(type) {
	case []float64:
		d(tA, tB, m, n, k, 1, a, lda, any(b).([]float64), ldb, float64(beta), any(c).([]float64), ldc)
	case []float32:
		s(tA, tB, m, n, k, 1, a, lda, any(b).([]float32), ldb, float32(beta), any(c).([]float32), ldc)
	}
}

// applyAct applies act to v in place; gradAct sets dst ← g·act' given a = act(x).
func applyAct[T Float](act Activation, v []T) {
	switch v := any(v).(type) {
	case []float64:
		act.Apply(v)
	case []float32:
		act.Apply32(v)
	}
}

func gradAct[T Float](act Activation, a, g, dst []T) {
	switch a := any(a).(type) {
	case []float64:
		act.Grad(a, any(g).([]float64), any(dst).([]float64))
	case []float32:
		act.Grad32(a, any(g).([]float32), any(dst).([]float32))
	}
}

// Dgemm and Sgemm are the graph's GEMMs, C = β·C + α·op(A)·op(B) (row-major), as the fused ops
// call them: exported for benchmarks that measure the build's peak.
func Dgemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

func Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	sgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}
