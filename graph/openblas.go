//go:build openblas

package graph

// #cgo LDFLAGS: -lopenblas
// void openblas_set_num_threads(int);
import "C"

import (
	"os"
	"runtime"

	"github.com/affineflow/flow/internal/parallel"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/netlib/blas/netlib"
	G "gorgonia.org/gorgonia"
)

// BLAS names the BLAS in use: this build (-tags openblas) links OpenBLAS through cgo (Debian:
// apt-get install libopenblas-dev) for both the numeric paths (gonum blas64) and gorgonia's graph
// (G.Use, which also sets gorgonia's tensor package).
var BLAS = "openblas"

func init() {
	// The numeric paths parallelize over row blocks with goroutines; OpenBLAS threads on top of
	// them oversubscribe the cores (log-prob measured 2.5x slower). So one OpenBLAS thread per call
	// (unless the environment chooses), and the graph, which runs its products one at a time,
	// splits each large product over row blocks itself (splitBLAS).
	if os.Getenv("OPENBLAS_NUM_THREADS") == "" && os.Getenv("OMP_NUM_THREADS") == "" {
		C.openblas_set_num_threads(1)
	}
	blas64.Use(netlib.Implementation{})
	G.Use(splitBLAS{})
	sgemm = netlib.Implementation{}.Sgemm
	dgemmSerial, sgemmSerial = netlib.Implementation{}.Dgemm, netlib.Implementation{}.Sgemm
}

// copyTransposed: OpenBLAS takes transposed operands as they are (its packing transposes).
const copyTransposed = false

// dgemm is the GEMM of the fused ops: the graph's BLAS.
var dgemm = splitBLAS{}.Dgemm

// splitBLAS is OpenBLAS whose Dgemm runs C's row blocks on GOMAXPROCS goroutines when the product
// has at least 2^20 multiply-adds.
type splitBLAS struct{ netlib.Implementation }

func (s splitBLAS) Dgemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	p := min(runtime.GOMAXPROCS(0), m/32)
	if p < 2 || m*n*k < 1<<20 {
		s.Implementation.Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	parallel.For(p, func(w int) {
		r0, r1 := w*m/p, (w+1)*m/p
		off := r0 * lda // op(A) rows r0.. are A's rows, or A's columns when transposed
		if tA != blas.NoTrans {
			off = r0
		}
		s.Implementation.Dgemm(tA, tB, r1-r0, n, k, alpha, a[off:], lda, b, ldb, beta, c[r0*ldc:], ldc)
	})
}
