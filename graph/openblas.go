//go:build openblas

package graph

// #cgo LDFLAGS: -lopenblas
// void openblas_set_num_threads(int);
import "C"

import (
	"os"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/netlib/blas/netlib"
	G "gorgonia.org/gorgonia"
)

// BLAS names the BLAS in use: this build (-tags openblas) links OpenBLAS through cgo (Debian:
// apt-get install libopenblas-dev) and installs it for both the numeric paths (gonum blas64) and
// gorgonia's graph (G.Use, which also sets gorgonia's tensor package).
var BLAS = "openblas"

func init() {
	blas64.Use(netlib.Implementation{})
	G.Use(netlib.Implementation{})
	// The numeric paths parallelize over row blocks with goroutines; OpenBLAS threads on top of
	// them oversubscribe the cores (log-prob measured 2.5x slower). One OpenBLAS thread per call,
	// unless the environment chooses otherwise.
	if os.Getenv("OPENBLAS_NUM_THREADS") == "" && os.Getenv("OMP_NUM_THREADS") == "" {
		C.openblas_set_num_threads(1)
	}
}
