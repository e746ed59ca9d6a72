package distributions_test

import (
	"math/rand"
	"testing"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/graph"
	"github.com/affineflow/flow/layers/layertest"
	"github.com/affineflow/flow/trainer"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

func randn(rng *rand.Rand, n, d int) *mat.Dense {
	x := mat.NewDense(n, d, nil)
	x.Apply(func(_, _ int, _ float64) float64 { return 2 * rng.NormFloat64() }, x)
	return x
}

// specs are the flows the tests below build: every registered mask kind from its Example (on 4
// dimensions), and settings that are not mask kinds.
var specs = func() map[string]distributions.Spec {
	s := map[string]distributions.Spec{
		"residual-tanh":  {Hidden: []int{8, 8, 8}, Residual: true, Activation: "tanh"},
		"actnorm+linear": {Hidden: []int{8}, Between: "actnorm+linear", DiagonalBase: true},
		"made-random":    {Order: "random", Hidden: []int{8, 8}},
		"block-random":   {Mask: "block:2,2", Order: "random", Hidden: []int{8, 8}},
		"made-student-t": {Hidden: []int{8, 8}, StudentT: 5},
	}
	for _, k := range distributions.Kinds() {
		s[k.Name] = distributions.Spec{Mask: k.Example, Hidden: []int{8, 8}}
	}
	return s
}()

// TestNewFlowIsBase: a flow whose conditioners start at zero is exactly its base density, for
// every mask kind, on both paths.
func TestNewFlowIsBase(t *testing.T) {
	for name, s := range specs {
		if s.Between != "" {
			continue // a random rotation is not the identity
		}
		t.Run(name, func(t *testing.T) {
			rng := rand.New(rand.NewSource(1))
			f, err := distributions.Build(4, s, rng)
			require.NoError(t, err)
			x := randn(rng, 7, 4)
			require.Equal(t, f.Base.LogProbs(x), f.LogProbs(x))
			ev := trainer.NewEvaluator(f, 16)
			defer ev.Close()
			lp, err := ev.LogProbs(x)
			require.NoError(t, err)
			require.InDeltaSlice(t, f.Base.LogProbs(x), lp, 1e-12)
		})
	}
}

// TestFlowPaths: after perturbing every parameter, the graph log-prob equals the numeric one, and
// sampling reports the log-density of what it drew.
func TestFlowPaths(t *testing.T) {
	for name, s := range specs {
		t.Run(name, func(t *testing.T) {
			rng := rand.New(rand.NewSource(2))
			f, err := distributions.Build(4, s, rng)
			require.NoError(t, err)
			for _, l := range f.Layers {
				layertest.Perturb(l, rng, 0.2)
			}
			if db, ok := f.Base.(*distributions.DiagonalNormal); ok {
				for _, p := range db.Params() {
					for i := range p.Data() {
						p.Data()[i] += 0.3 * rng.NormFloat64()
					}
				}
			}
			x := randn(rng, 9, 4)
			ev := trainer.NewEvaluator(f, 4) // batches of 4, 4 and 1: two cached graphs
			defer ev.Close()
			lp, err := ev.LogProbs(x)
			require.NoError(t, err)
			require.InDeltaSlice(t, f.LogProbs(x), lp, 1e-10)

			xs, lps := f.SampleWithLogProb(50, rng)
			require.InDeltaSlice(t, f.LogProbs(xs), lps, 1e-9)
			require.Greater(t, graph.CountParams(f.Params()), 0)
		})
	}
}

func TestBuildErrors(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for spec, want := range map[string]string{
		"block:2,2":  "block sizes [2 2] sum to 4, the data have 3 dimensions",
		"block:":     "block sizes missing",
		"block:2,x":  `block size "x" is not a positive integer`,
		"block:0,3":  `block size "0" is not a positive integer`,
		"triangular": `unknown mask kind "triangular"`,
	} {
		_, err := distributions.Build(3, distributions.Spec{Mask: spec}, rng)
		require.ErrorContains(t, err, want, spec)
	}
	_, err := distributions.Build(3, distributions.Spec{Between: "batchnorm"}, rng)
	require.ErrorContains(t, err, "unknown between-layers kind")
	_, err = distributions.Build(3, distributions.Spec{Order: "shuffled"}, rng)
	require.ErrorContains(t, err, `unknown order "shuffled"`)
	_, err = distributions.Build(3, distributions.Spec{Mask: "banded:0"}, rng)
	require.ErrorContains(t, err, "band width must be a positive integer")
}
