package distributions_test

import (
	"fmt"
	"math"
	"math/rand"
	"runtime"
	"testing"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/layers/layertest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// mixedFlow chains, on d dimensions, MADE layers (with ActNorm and Linear between them), a
// block-autoregressive step (injection and block-diagonal Linear) and injection layers, all with
// hidden widths as in real use, every parameter perturbed.
func mixedFlow(t *testing.T, d, context int) *distributions.Flow {
	rng := rand.New(rand.NewSource(11))
	f := &distributions.Flow{Base: distributions.StandardNormal{D: d}}
	for _, s := range []distributions.Spec{
		{Layers: 2, Hidden: []int{64, 64}, Between: "actnorm+linear", Context: context},
		{Layers: 1, Mask: "block:2,3,1", Hidden: []int{64}, Context: context},
		{Layers: 2, Mask: "injection", Hidden: []int{32, 32}},
	} {
		part, err := distributions.Build(d, s, rng)
		require.NoError(t, err)
		f.Layers = append(f.Layers, part.Layers...)
	}
	for _, l := range f.Layers {
		layertest.Perturb(l, rng, 0.2)
	}
	require.NoError(t, f.Validate())
	return f
}

// assertBits checks that got and want are the same float64 values, bit for bit.
func assertBits(t *testing.T, want, got []float64, what string) {
	t.Helper()
	require.Len(t, got, len(want))
	diff := 0
	for i := range want {
		if math.Float64bits(want[i]) != math.Float64bits(got[i]) {
			diff++
		}
	}
	assert.Zero(t, diff, "%s: %d of %d values differ", what, diff, len(want))
}

// TestBlockSize: blocks of blockRows rows down to 128, at least 2 of them while they may shrink,
// and at most the limit (not below 128).
func TestBlockSize(t *testing.T) {
	for _, c := range []struct{ n, limit, want int }{
		{1, 1024, 128}, {255, 1024, 128}, {511, 1024, 128}, {512, 1024, 256}, {1023, 1024, 256}, {1024, 1024, 512},
		{2047, 1024, 512}, {2048, 1024, 1024}, {distributions.BlockRows + 17, 1024, 512},
		{2 * distributions.BlockRows, 1024, 1024}, {1 << 20, 4096, 1024},
		{1 << 20, 512, 512}, {1 << 20, 300, 256}, {1 << 20, 128, 128}, {1 << 20, 8, 128}, {700, 512, 256},
	} {
		t.Run(fmt.Sprint(c.n, "/", c.limit), func(t *testing.T) {
			require.Equal(t, c.want, distributions.BlockSize(c.n, c.limit))
		})
	}
}

// TestResultsIndependentOfGOMAXPROCS: LogProbs and SampleWithLogProb (same seed), with and without
// context, are bit-identical for GOMAXPROCS = 1, 2, 3, 5, on batches of several blocks with a
// short last block: log-prob's of 128 rows (the flow's maps are at most 64 wide), sampling's of
// 128, 512 and 1024 (the blocks depend on the number of rows and the flow's width alone; only the
// number of goroutines working through them changes).
func TestResultsIndependentOfGOMAXPROCS(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	const d = 6
	b := distributions.BlockRows
	for _, c := range []struct {
		name       string
		n, context int
	}{
		{"unconditional/n=601", 601, 0},
		{"unconditional/n=3B+17", 3*b + 17, 0},
		{"unconditional/n=4B+17", 4*b + 17, 0},
		{"conditional/n=3B+17", 3*b + 17, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			n := c.n
			f := mixedFlow(t, d, c.context)
			rng := rand.New(rand.NewSource(12))
			x := randn(rng, n, d)
			var ctx *mat.Dense
			if c.context > 0 {
				ctx = randn(rng, n, c.context)
			}
			type result struct{ lp, xs, lps []float64 }
			run := func() result {
				seeded := rand.New(rand.NewSource(13))
				var xs *mat.Dense
				var lps []float64
				if ctx != nil {
					xs, lps = f.SampleWithLogProbContext(ctx, seeded)
				} else {
					xs, lps = f.SampleWithLogProb(n, seeded)
				}
				return result{f.LogProbsContext(x, ctx), xs.RawMatrix().Data, lps}
			}
			runtime.GOMAXPROCS(1)
			want := run()
			for _, p := range []int{2, 3, 5} {
				runtime.GOMAXPROCS(p)
				got := run()
				assertBits(t, want.lp, got.lp, fmt.Sprintf("GOMAXPROCS %d: log-densities", p))
				assertBits(t, want.xs, got.xs, fmt.Sprintf("GOMAXPROCS %d: samples", p))
				assertBits(t, want.lps, got.lps, fmt.Sprintf("GOMAXPROCS %d: log-densities of the samples", p))
			}
		})
	}
}
