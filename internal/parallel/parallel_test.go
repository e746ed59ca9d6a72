package parallel

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
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

// For covers every index once when called from many goroutines at once (one holds the helpers,
// the others start goroutines), from inside itself, and after its helpers have parked (a pause
// longer than spin); Beside runs its calls at the same time (each f(i) waits for all the others)
// and For inside it still covers every index.
func TestForConcurrentNestedAndBeside(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	runtime.GOMAXPROCS(3)
	check := func(n int, inner func()) {
		seen := make([]atomic.Int32, n)
		For(n, func(i int) {
			seen[i].Add(1)
			if inner != nil {
				inner()
			}
		})
		for i := range seen {
			if v := seen[i].Load(); v != 1 {
				t.Errorf("n %d: index %d visited %d times", n, i, v)
			}
		}
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := 0; r < 200; r++ {
				check(1+(g+r)%13, nil)
			}
		}()
	}
	wg.Wait()
	check(9, func() { check(5, nil) })
	time.Sleep(3 * spin)
	check(17, nil)

	const n = 3
	var arrived sync.WaitGroup
	arrived.Add(n)
	done := make(chan struct{})
	go func() {
		Beside(n, func(i int) {
			arrived.Done()
			arrived.Wait() // returns only once every call has started: they run at once
			check(7, nil)
		})
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Beside's calls did not all run at once")
	}
	check(11, nil) // the helpers serve For again after Beside
}

// What a call's f holds is not kept once For returns: the helpers remember a job's number, not
// the job (they kept the last job's closure, and with it 1 GB of a fit's buffers, alive).
func TestForKeepsNothing(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	runtime.GOMAXPROCS(2)
	freed := make(chan struct{})
	func() {
		buf := &[1 << 16]float64{}
		runtime.SetFinalizer(buf, func(*[1 << 16]float64) { close(freed) })
		For(8, func(i int) { // pieces long enough for the helper to take some
			buf[i]++
			time.Sleep(2 * time.Millisecond)
		})
	}()
	for k := 0; k < 50; k++ {
		runtime.GC()
		select {
		case <-freed:
			return
		case <-time.After(10 * time.Millisecond):
		}
	}
	t.Fatal("the buffer For's f captured is still reachable after For returned")
}
