package distributions_test

import (
	"math/rand"
	"runtime"
	"testing"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/layers/layertest"
	"github.com/affineflow/flow/trainer"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// TestParallelRows: batches of several row blocks, run on goroutines, give the same log-densities
// as the graph and as one-row calls, and parallel sampling reports the density of what it drew.
func TestParallelRows(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(3)) // 3 goroutines even on one core
	rng := rand.New(rand.NewSource(4))
	f, err := distributions.Build(6, distributions.Spec{Hidden: []int{64, 64}, Between: "actnorm"}, rng)
	require.NoError(t, err)
	for _, l := range f.Layers {
		layertest.Perturb(l, rng, 0.1)
	}
	n := 4*distributions.BlockRows + 1
	b := distributions.LogProbBlock(f, n)
	x := randn(rng, n, 6) // four full blocks and a one-row block
	lp := f.LogProbs(x)
	ev := trainer.NewEvaluator(f, 256)
	defer ev.Close()
	glp, err := ev.LogProbs(x)
	require.NoError(t, err)
	require.InDeltaSlice(t, glp, lp, 1e-10)
	for _, r := range []int{0, b - 1, b, 4*b - 1, n - 1} {
		one := f.LogProbs(x.Slice(r, r+1, 0, 6).(*mat.Dense))
		require.InDelta(t, one[0], lp[r], 1e-12)
	}

	seeded := func() *rand.Rand { return rand.New(rand.NewSource(8)) }
	xs, lps := f.SampleWithLogProb(3*b+33, seeded())
	require.InDeltaSlice(t, f.LogProbs(xs), lps, 1e-9)
	runtime.GOMAXPROCS(1)
	xs1, _ := f.SampleWithLogProb(3*b+33, seeded())
	require.InDeltaSlice(t, xs1.RawMatrix().Data, xs.RawMatrix().Data, 1e-12, "samples depend on GOMAXPROCS")
}
