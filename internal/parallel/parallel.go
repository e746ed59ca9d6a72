// Package parallel runs independent pieces of work on up to GOMAXPROCS goroutines.
package parallel

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// For calls f(i) for every i in [0, n), on min(GOMAXPROCS, n) goroutines that take the indices
// in turn (on the caller's goroutine when that is one). The pieces must be independent; how they
// are cut is the caller's, so results that depend only on the cut do not depend on GOMAXPROCS.
func For(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := 0; i < n; i++ {
			f(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				f(i)
			}
		}()
	}
	wg.Wait()
}

// Chunk is the length of one piece of Slices: 32,768 values.
const Chunk = 1 << 15

// Slices calls f(k, lo, hi) for the chunks [lo, hi) of at most Chunk values of every slice k of
// lens (lens[k] is the length of slice k), through For.
func Slices(lens []int, f func(k, lo, hi int)) {
	type piece struct{ k, lo, hi int }
	var ps []piece
	for k, n := range lens {
		for lo := 0; lo < n; lo += Chunk {
			ps = append(ps, piece{k, lo, min(lo+Chunk, n)})
		}
	}
	For(len(ps), func(i int) { f(ps[i].k, ps[i].lo, ps[i].hi) })
}
