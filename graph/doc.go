// Package graph is the project's only adapter to gorgonia: it owns the expression graph, the
// parameters whose memory is shared between gorgonia tensors and numeric (gonum) code, and a few
// node builders that the layers need.
//
// Direction and shapes: every node built here is float64. A batch is an N×D matrix (rows are
// samples); per-row quantities such as log-determinants are vectors of length N. A parameter is a
// matrix (rows×cols) or a vector (n); its backing slice is the same memory in the gorgonia tensor
// (Param.T), the gonum view (Param.Mat) and the raw slice (Param.Data), so an optimizer step on one
// is seen by all. Whoever writes the values calls Param.Touch, which bumps Param.Version: caches of
// values derived from parameters compare versions.
//
// BLAS: the default build installs package internal/fastblas (gonum with an AVX2/FMA Go-assembly
// Dgemm, no cgo) for gorgonia and for gonum's blas64, which the layers' numeric paths use; -tags
// openblas links OpenBLAS instead (openblas.go). BLAS names the one in use.
//
// Errors: graph-building code uses G.Must and panics on programmer errors; Try converts such a panic
// into an error at a package boundary (gonum's mat.Maybe pattern).
package graph
