// Package parallel runs independent pieces of work on up to GOMAXPROCS goroutines.
//
// For hands the pieces to the caller and to helpers: goroutines that live across calls and, after
// a call, spin for a while (spin) before they park. A training step is a chain of short parallel
// sections (its products, Adam) between serial ones. Goroutines started per call, or helpers that
// park at once, are woken through the OS for each section, and in a virtual machine that wake-up
// cost as much as the section saved: two threads ran a D=8 step 1.4x slower than one (the vCPUs
// 45% idle) on a Firecracker VM. OpenMP runtimes (PyTorch's threads) spin the same way before
// they sleep.
package parallel

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// spin is how long a helper looks for the next call's pieces before it parks.
const spin = 200 * time.Microsecond

// For calls f(i) for every i in [0, n), on min(GOMAXPROCS, n) goroutines that take the indices
// in turn: the caller's and up to GOMAXPROCS-1 helpers, or the caller's alone when that is one.
// While another call holds the helpers (For inside f, For from goroutines that run side by side,
// under Beside) the call starts goroutines of its own instead. The pieces must be independent; how
// they are cut is the caller's, so results that depend only on the cut do not depend on
// GOMAXPROCS.
func For(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := 0; i < n; i++ {
			f(i)
		}
		return
	}
	j := &job{n: n, f: f}
	if !pool.busy.CompareAndSwap(false, true) {
		j.spawn(workers)
		return
	}
	pool.start(j, workers-1)
	j.run()
	// the pieces left are the helpers', each already begun; wait for them
	t0 := time.Now()
	for k := 0; j.done.Load() < int64(n); k++ {
		// yield only after a while: a yield lets the goroutines trade threads, and their caches
		if k%64 == 63 && time.Since(t0) > spin {
			runtime.Gosched()
		}
	}
	pool.job.Store(nil)
	pool.busy.Store(false)
}

// job is one call of For: its pieces, the next one to take, how many are finished, and its
// number (helpers remember the number of the last job they ran, not the job: a job's f may hold
// large buffers, which must not outlive the call).
type job struct {
	n    int
	f    func(int)
	next atomic.Int64
	done atomic.Int64
	seq  uint64
}

// run takes and runs pieces of j until none is left.
func (j *job) run() {
	for i := int(j.next.Add(1)) - 1; i < j.n; i = int(j.next.Add(1)) - 1 {
		j.f(i)
		j.done.Add(1)
	}
}

// spawn runs j on workers goroutines started for it, the caller's among them: For's way while
// another call holds the helpers (calls from goroutines that run beside each other, as a
// trainer's shards do, share the cores that way).
func (j *job) spawn(workers int) {
	var wg sync.WaitGroup
	for w := 1; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			j.run()
		}()
	}
	j.run()
	wg.Wait()
}

// Beside calls f(i) for every i in [0, n), each on a goroutine of its own (f(0) on the caller's),
// all at once: work that must run side by side, as a trainer's shards. Meanwhile the helpers park
// and For inside f starts goroutines of its own (a spinning helper would hold a core that the
// pieces of f need).
func Beside(n int, f func(i int)) {
	held := pool.busy.CompareAndSwap(false, true)
	var wg sync.WaitGroup
	for i := 1; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(i)
		}()
	}
	if n > 0 {
		f(0)
	}
	wg.Wait()
	if held {
		pool.busy.Store(false)
	}
}

// helpers is the pool: the job of the call that holds it (busy), and its helpers.
type helpers struct {
	busy atomic.Bool
	job  atomic.Pointer[job]
	seq  uint64     // the last job's number; written only by the call that holds busy
	mu   sync.Mutex // guards list
	list []*helper
}

// helper is a goroutine that runs the pieces of each job it sees; parked tells that it waits on
// wake (a buffered channel: a wake-up sent while it is about to park is not lost).
type helper struct {
	parked atomic.Bool
	wake   chan struct{}
}

var pool helpers

// start publishes j to k helpers, starting those that do not exist yet and waking those parked.
func (p *helpers) start(j *job, k int) {
	p.seq++
	j.seq = p.seq
	p.job.Store(j)
	p.mu.Lock()
	for len(p.list) < k {
		h := &helper{wake: make(chan struct{}, 1)}
		p.list = append(p.list, h)
		go h.loop(p)
	}
	hs := p.list[:k]
	p.mu.Unlock()
	for _, h := range hs {
		if h.parked.Swap(false) {
			h.wake <- struct{}{}
		}
	}
}

// loop runs the jobs it finds, spinning for the next one and then parking.
func (h *helper) loop(p *helpers) {
	var last uint64
	for {
		j := h.await(p, last)
		last = j.seq
		j.run()
	}
}

// await returns the next job after the one numbered last, spinning for up to spin, then parked.
func (h *helper) await(p *helpers, last uint64) *job {
	t0 := time.Now()
	for k := 0; ; k++ {
		j := p.job.Load()
		if j != nil && j.seq != last {
			return j
		}
		if j == nil && p.busy.Load() || k%64 == 63 && time.Since(t0) > spin {
			break // Beside holds the pool (or For is about to publish: start wakes us then)
		}
	}
	for {
		h.parked.Store(true)
		if j := p.job.Load(); j != nil && j.seq != last {
			if !h.parked.Swap(false) {
				<-h.wake // start saw it parked and sent a wake-up: take it
			}
			return j
		}
		<-h.wake
		if j := p.job.Load(); j != nil && j.seq != last {
			return j
		}
	}
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
