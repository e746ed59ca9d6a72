//go:build !openblas

package graph

import (
	"github.com/affineflow/flow/internal/fastblas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
	G "gorgonia.org/gorgonia"
)

// BLAS names the BLAS in use. The default build is pure Go (no cgo): gonum's native BLAS, whose
// Dgemm is replaced, on CPUs with AVX2 and FMA, by package fastblas (a Go-assembly micro-kernel,
// about 3x gonum's), for both gorgonia's graph (G.Use) and the numeric paths (blas64.Use). Build
// with -tags openblas to link OpenBLAS instead.
var BLAS = "gonum"

// dgemm is the GEMM of the fused ops: the graph's BLAS.
var dgemm = gonum.Implementation{}.Dgemm

func init() {
	if fastblas.Available() {
		blas64.Use(fastblas.Implementation{})
		G.Use(fastblas.Implementation{})
		dgemm = fastblas.Implementation{}.Dgemm
		BLAS = "gonum+fastblas"
	}
}
