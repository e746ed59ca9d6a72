package distributions

import "github.com/affineflow/flow/internal/parallel"

const (
	// blockRows is the largest row block: the rows a goroutine pushes through the layers at once,
	// so that the hidden activations stay in cache (much larger blocks measured slower per row:
	// 16384 rows 1.7x slower than 4096).
	blockRows = 1024
	// minBlockRows is the smallest row block (smaller ones cost more per row).
	minBlockRows = 128
	// minBlocks is how many blocks a batch is cut into at least, when blocks may shrink, so that
	// mid-size batches (a 1000-row sample) still run on several cores. Two, not more: smaller
	// blocks cost more per row (a 512-row MAF sample of BenchmarkSample/D=8 took 5% longer as four
	// blocks of 128 than as two of 256, in five of five A/B rounds).
	minBlocks = 2
)

// blockSize returns B, the rows per block of an n-row batch: the largest of blockRows,
// blockRows/2, …, minBlockRows with n ≥ minBlocks·B and B ≤ limit, else minBlockRows. It depends
// on n and limit alone.
func blockSize(n, limit int) int {
	b := blockRows
	for b > minBlockRows && (n < minBlocks*b || b > limit) {
		b /= 2
	}
	return b
}

// parallelBlocks calls f on the row blocks [0, B), [B, 2B), …, [kB, n), B = blockSize(n, limit),
// which the workers, min(GOMAXPROCS, number of blocks) goroutines, take in turn. The blocks do not
// depend on GOMAXPROCS and each is computed as one matrix, so a row's result never does either
// (the matrix kernels treat the rows of a matrix's tail differently: with blocks cut by the number
// of threads, a few cells differed by an ulp between GOMAXPROCS values).
func parallelBlocks(n, limit int, f func(r0, r1 int)) {
	size := blockSize(n, limit)
	parallel.For((n+size-1)/size, func(b int) { f(b*size, min((b+1)*size, n)) })
}

// width returns the largest number of columns of f's matrix parameters (a MADE's hidden width):
// log-prob's row blocks are at most that many rows, so that a block's activations (B·width·8
// bytes a hidden layer) are no larger than a width×width map's weights, in the core's cache.
// Log-prob of 4,096 rows, min of interleaved runs (BenchmarkLogProb, blocks forced to one size):
// D=8 (width 128) on one core 24.6 ms in blocks of 1,024, 20.6 in 256, 22.1 (against 25.0) in
// 128; on two threads 16.1–16.4 in 1,024 against 12.6–15.1 in 256 in three rounds, 128 and 256
// alike. D=63 (width 512) on one core 396 ms in 1,024, 375 in 256, 346 in 512; on two threads 226
// and 221 in 1,024 and 512. Sampling keeps its blocks (its incremental inverse ran 5% slower in
// four blocks of 128 than in two of 256).
func (f *Flow) width() int {
	w := 0
	for _, p := range f.Params() {
		if s := p.T.Shape(); len(s) == 2 {
			w = max(w, s[1])
		}
	}
	return w
}
