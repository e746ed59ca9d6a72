package trainer

import (
	"math"
	"math/rand"
	"runtime"
	"testing"

	"github.com/affineflow/flow/distributions"
	"gonum.org/v1/gonum/mat"
)

// liveHeap returns the bytes of live heap objects after a full collection (two, so that objects
// freed by finalizers are counted as freed).
func liveHeap() uint64 {
	var ms runtime.MemStats
	for range 3 {
		runtime.GC()
	}
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// TestStepperMemoryReturned builds, runs and closes a training graph (and an evaluator) 20 times:
// the live heap must grow by less than one of them takes. A reference cycle through gorgonia's
// TapeMachine, which carries a runtime finalizer, is never collected by Go: a stepper that reads
// its loss into a field of the struct holding the machine kept every graph alive (1.9 GB for a
// model selection on sonar).
func TestStepperMemoryReturned(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	f, err := distributions.Build(8, distributions.Spec{Layers: 2, Hidden: []int{64, 64}}, rng)
	if err != nil {
		t.Fatal(err)
	}
	x := mat.NewDense(300, 8, nil)
	x.Apply(func(_, _ int, _ float64) float64 { return rng.NormFloat64() }, x)
	cycle := func() {
		sp, err := NewStepper(f, 64, 8, Settings{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := sp.Step(x.Slice(0, 64, 0, 8).(*mat.Dense)); err != nil {
			t.Fatal(err)
		}
		sp.Close()
		ev := NewEvaluator(f, 128)
		if _, err := ev.NLL(x); err != nil {
			t.Fatal(err)
		}
		ev.Close()
	}
	cycle() // warm up: pools, caches and the first allocation of every size class
	base := liveHeap()
	// the size of one stepper and evaluator: what is live while one exists
	sp, err := NewStepper(f, 64, 8, Settings{})
	if err != nil {
		t.Fatal(err)
	}
	ev := NewEvaluator(f, 128)
	if _, err := ev.NLL(x); err != nil {
		t.Fatal(err)
	}
	one := liveHeap() - base
	sp.Close()
	ev.Close()
	runtime.KeepAlive(sp)
	runtime.KeepAlive(ev)
	for range 20 {
		cycle()
	}
	grown := int64(liveHeap()) - int64(base)
	t.Logf("one stepper and evaluator: %d bytes live; after 20 more cycles the heap grew by %d bytes", one, grown)
	if grown >= int64(one) {
		t.Fatalf("the live heap grew by %d bytes over 20 closed steppers, more than one stepper's %d: graphs are not freed", grown, one)
	}
}

// A steady-state training step allocates only the VM's bookkeeping: on a MAF-3 of D = 40 (hidden
// 96, 96), per step and training graph, fewer than 1,800 allocations and 100 KiB, in float64,
// float32 and on two shards (1,060-1,140 and 50-100 KB now; boxing a slice once per span of the
// masks' supports, as a first version of SyncSpans did, added 1,400).
func TestStepAllocations(t *testing.T) {
	if raceDetector {
		t.Skip("the race detector empties sync.Pools at random: allocations are its own")
	}
	rng := rand.New(rand.NewSource(2))
	f, err := distributions.Build(40, distributions.Spec{Layers: 3, Hidden: []int{96, 96}}, rng)
	if err != nil {
		t.Fatal(err)
	}
	x := mat.NewDense(64, 40, nil)
	x.Apply(func(_, _ int, _ float64) float64 { return rng.NormFloat64() }, x)
	for _, s := range []Settings{{}, {Float32: true}, {Shards: 2}, {Shards: 2, Float32: true}} {
		sp, err := NewStepper(f, 64, 40, s)
		if err != nil {
			t.Fatal(err)
		}
		step := func() {
			if _, err := sp.Step(x); err != nil {
				t.Fatal(err)
			}
		}
		step()
		// the least of three runs of 10 steps: a collection during a run empties the sync.Pools
		// of scratch memory (fastblas's, the numeric paths'), and refilling them is not the step's
		allocs, bytes := uint64(math.MaxUint64), uint64(math.MaxUint64)
		for range 3 {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			const steps = 10
			for range steps {
				step()
			}
			runtime.ReadMemStats(&after)
			allocs = min(allocs, (after.Mallocs-before.Mallocs)/steps)
			bytes = min(bytes, (after.TotalAlloc-before.TotalAlloc)/steps)
		}
		sp.Close()
		graphs := uint64(max(1, s.Shards))
		t.Logf("float32 %t, %d graphs: %d allocations, %d bytes a step", s.Float32, graphs, allocs, bytes)
		if allocs > 1800*graphs || bytes > 100<<10*graphs {
			t.Errorf("float32 %t, %d graphs: %d allocations and %d bytes a step, want < %d and %d KiB", s.Float32, graphs, allocs, bytes, 1800*graphs, 100*graphs)
		}
	}
}
