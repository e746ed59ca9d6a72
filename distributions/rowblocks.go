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
// blockRows/2, …, minBlockRows with n ≥ minBlocks·B, else minBlockRows. It depends on n alone.
func blockSize(n int) int {
	b := blockRows
	for b > minBlockRows && n < minBlocks*b {
		b /= 2
	}
	return b
}

// parallelBlocks calls f on the row blocks [0, B), [B, 2B), …, [kB, n), B = blockSize(n), which
// the workers, min(GOMAXPROCS, number of blocks) goroutines, take in turn. The blocks do not depend
// on GOMAXPROCS and each is computed as one matrix, so a row's result never does either (the
// matrix kernels treat the rows of a matrix's tail differently: with blocks cut by the number of
// threads, a few cells differed by an ulp between GOMAXPROCS values).
func parallelBlocks(n int, f func(r0, r1 int)) {
	size := blockSize(n)
	parallel.For((n+size-1)/size, func(b int) { f(b*size, min((b+1)*size, n)) })
}
