// Package graph is the project's adapter to gorgonia: it owns the expression graph, the
// parameters whose memory is shared between gorgonia tensors and numeric (gonum) code, the fused
// ops and the node builders that the layers need.
//
// Where gorgonia is public: the graph forward of a layer or base builds *G.Node values
// (layers.Layer.Forward, distributions.Base.LogProb, trainer.Model.LogProb), so that a new layer
// is written as a gorgonia expression with symbolic gradients; packages layers, distributions and
// trainer therefore import gorgonia, and so does code that writes a new layer. Everything else —
// fitting (recipe, trainer.Fit), evaluating and sampling (the numeric paths on gonum matrices),
// model files, the CLI — takes and returns gonum matrices and never shows a gorgonia type.
//
// Direction and shapes: a graph's nodes are float64, or float32 when Graph.Float32 is set. A batch
// is an N×D matrix (rows are samples); per-row quantities such as log-determinants are vectors of
// length N. A parameter is a float64 matrix (rows×cols) or vector (n); its backing slice is the
// same memory in the gorgonia tensor (Param.T), the gonum view (Param.Mat) and the raw slice
// (Param.Data), so an optimizer step on one is seen by all; a float32 graph binds a float32 copy
// instead (SyncParams refreshes it, or a writer keeps it equal itself: Copy32, SyncSpansWritten).
// Whoever writes the values calls Param.Touch, which bumps Param.Version: caches of values derived
// from parameters compare versions.
//
// Fused ops: the training graph of a masked conditioner is, per map, one Hadamard node (W ⊙ M)
// and one Dense node (act(h·W + b), optionally residual), and per affine injection one Affine node
// pair (y and Σ s). Each is a gorgonia Op with a symbolic gradient (SDOp) that builds one backward
// node; each keeps its output buffers across runs, so a training step allocates almost nothing,
// and its products call the GEMM with transposed operands instead of transposing. A masked map's
// Dense node also takes the structure of its mask (Bands: which rows of W ⊙ M each column needs,
// and the other way round) and skips the zeros of its three products, about half of a MADE's
// multiply-adds (its hidden degrees are sorted, so its masks are staircases): with fastblas each
// product is one staircase GEMM per goroutine (fastblas.Stair), with OpenBLAS one GEMM per block
// of 16-64 columns. Graph.Plain
// builds the same maps from gorgonia's own ops; layers/layertest checks the two agree to 1e-12.
// For a 0/1 mask W ⊙ M is an OnSpans node, which is W itself when W is zero off the mask (the
// layers initialize it so and Adam never writes there; SyncSpans checks it, or, for a float32 or
// private copy, makes it so), and whose gradient zeroes the values off the mask in place.
//
// BLAS: the default build installs package internal/fastblas (gonum with AVX-512 or AVX2/FMA
// Go-assembly Dgemm and Sgemm, no cgo) for gorgonia, the fused ops and gonum's blas64, which the
// layers' numeric paths use; -tags openblas links OpenBLAS instead (openblas.go). BLAS names the
// one in use.
// The elementwise work of the fused ops (the soft clamp and exp(s) of Affine, the activations and
// their gradients) runs on package internal/vmath: four or eight values at a time, the same bits
// as the scalar math.
//
// Errors: graph-building code uses G.Must and panics on programmer errors; Try converts such a panic
// into an error at a package boundary (gonum's mat.Maybe pattern).
package graph
