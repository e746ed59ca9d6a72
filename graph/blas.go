//go:build !openblas

package graph

import (
	"github.com/affineflow/flow/internal/fastblas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
	G "gorgonia.org/gorgonia"
)

// BLAS names the BLAS in use. The default build is pure Go (no cgo): gonum's native BLAS, whose
// Dgemm and Sgemm are replaced, on CPUs with AVX2 and FMA (or AVX-512), by package fastblas
// (Go-assembly micro-kernels, about 5x and 7x gonum's with AVX2), for gorgonia's graph (G.Use),
// the fused ops (dgemm, sgemm) and the numeric paths (blas64.Use). Build with -tags openblas to
// link OpenBLAS instead.
var BLAS = "gonum"

// dgemm is the float64 GEMM of the fused ops: the graph's BLAS.
var dgemm = gonum.Implementation{}.Dgemm

// copyTransposed: gemmBlocks copies a transposed A of 4 KiB rows once instead of having each
// block's GEMM copy its part (fastblas copies such an A on every call).
const copyTransposed = true

func init() {
	if fastblas.Available() {
		blas64.Use(fastblas.Implementation{})
		G.Use(fastblas.Implementation{})
		dgemm = fastblas.Implementation{}.Dgemm
		sgemm = fastblas.Implementation{}.Sgemm
		dgemmSerial, sgemmSerial = fastblas.Serial{}.Dgemm, fastblas.Serial{}.Sgemm
		dgemmStair, sgemmStair = fastblas.Serial{}.DgemmStair, fastblas.Serial{}.SgemmStair
		BLAS = "gonum+fastblas/" + fastblas.Kernels()
	}
}
