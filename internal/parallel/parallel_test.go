package parallel

import (
	"runtime"
	"sync/atomic"
	"testing"
)

// Every index is visited exactly once, for any GOMAXPROCS, and every chunk of Slices covers its
// slice exactly once.
func TestForAndSlices(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, procs := range []int{1, 2, 5} {
		runtime.GOMAXPROCS(procs)
		for _, n := range []int{0, 1, 7, 100} {
			seen := make([]atomic.Int32, n)
			For(n, func(i int) { seen[i].Add(1) })
			for i := range seen {
				if seen[i].Load() != 1 {
					t.Fatalf("procs %d n %d: index %d visited %d times", procs, n, i, seen[i].Load())
				}
			}
		}
		lens := []int{0, 3, Chunk, 2*Chunk + 5}
		counts := make([][]atomic.Int32, len(lens))
		for k, n := range lens {
			counts[k] = make([]atomic.Int32, n)
		}
		Slices(lens, func(k, lo, hi int) {
			if hi-lo > Chunk || lo >= hi {
				t.Errorf("chunk [%d, %d)", lo, hi)
			}
			for i := lo; i < hi; i++ {
				counts[k][i].Add(1)
			}
		})
		for k := range counts {
			for i := range counts[k] {
				if counts[k][i].Load() != 1 {
					t.Fatalf("procs %d: slice %d value %d covered %d times", procs, k, i, counts[k][i].Load())
				}
			}
		}
	}
}
