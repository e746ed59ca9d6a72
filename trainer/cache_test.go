package trainer

import (
	"math/rand"
	"path/filepath"
	"testing"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/graph"
	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/layers/layertest"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// The layers cache their effective weights per parameter version (layers/weightcache.go): every
// write of the trainer must invalidate them. "Uncached" is a fresh build of the same flow with the
// values copied in, which has never computed anything.

var cacheSpecs = []distributions.Spec{
	{Layers: 2, Hidden: []int{8, 8}},                    // MAF
	{Layers: 2, Hidden: []int{8, 8}, Mask: "made-soft"}, // gates on the first map (mask from the logits)
	{Layers: 2, Hidden: []int{8, 8}, Mask: "soft"},      // injection with soft mask logits
	{Layers: 2, Hidden: []int{8, 8}, Mask: "block:2,1"}, // block layers with their Linear
	{Layers: 2, Hidden: []int{8, 8}, Between: "actnorm+linear", DiagonalBase: true},
}

func buildFlow(t *testing.T, s distributions.Spec) *distributions.Flow {
	t.Helper()
	rng := rand.New(rand.NewSource(1))
	f, err := distributions.Build(3, s, rng)
	require.NoError(t, err)
	layertest.Perturb(f, rng, 0.1) // no layer the identity
	return f
}

// uncached returns a fresh build of s holding f's current parameter values.
func uncached(t *testing.T, s distributions.Spec, f *distributions.Flow) *distributions.Flow {
	t.Helper()
	g := buildFlow(t, s)
	gp, fp := g.Params(), f.Params()
	require.Len(t, gp, len(fp))
	for k := range fp {
		copy(gp[k].Data(), fp[k].Data())
		gp[k].Touch()
	}
	return g
}

// requireFresh checks that LogProbs, Sample (many rows and one) and every layer's Inverse of f
// equal those of an uncached copy, bit for bit.
func requireFresh(t *testing.T, what string, s distributions.Spec, f *distributions.Flow, x *mat.Dense) {
	t.Helper()
	g := uncached(t, s, f)
	require.Equal(t, g.LogProbs(x), f.LogProbs(x), what+": LogProbs")
	for _, n := range []int{9, 1} {
		require.True(t, mat.Equal(g.Sample(n, rand.New(rand.NewSource(5))), f.Sample(n, rand.New(rand.NewSource(5)))), "%s: Sample(%d)", what, n)
	}
	for k := range f.Layers {
		for _, rows := range []int{len(f.LogProbs(x)), 1} {
			xr := x.Slice(0, rows, 0, 3).(*mat.Dense)
			a, lda := f.Layers[k].Inverse(xr)
			b, ldb := g.Layers[k].Inverse(xr)
			require.True(t, mat.Equal(a, b), "%s: layer %d Inverse", what, k)
			require.Equal(t, ldb, lda, "%s: layer %d Inverse log-det", what, k)
		}
	}
}

func randRows(seed int64, n, d int) *mat.Dense {
	rng := rand.New(rand.NewSource(seed))
	x := mat.NewDense(n, d, nil)
	x.Apply(func(_, _ int, _ float64) float64 { return rng.NormFloat64() }, x)
	return x
}

// (1) A trainer step (and an ActNorm initialization) changes what the next numeric call computes.
func TestStepInvalidatesLayerCaches(t *testing.T) {
	x := randRows(2, 16, 3)
	for _, s := range cacheSpecs {
		t.Run(s.Mask+s.Between, func(t *testing.T) {
			f := buildFlow(t, s)
			f.InitFromData(x)
			requireFresh(t, "built", s, f, x) // fills the caches
			before := f.LogProbs(x)
			st, err := NewStepper(f, 16, 3, Settings{LearningRate: 0.05})
			require.NoError(t, err)
			defer st.Close()
			for i := 0; i < 2; i++ {
				_, err = st.Step(x)
				require.NoError(t, err)
				require.NotEqual(t, before, f.LogProbs(x), "the step changed nothing")
				requireFresh(t, "after a step", s, f, x)
				before = f.LogProbs(x)
			}
		})
	}
}

// Restoring the best weights and resuming from a checkpoint invalidate the caches too.
func TestRestoreInvalidatesLayerCaches(t *testing.T) {
	x := randRows(3, 16, 3)
	s := cacheSpecs[1]
	f := buildFlow(t, s)
	sizes := []int{}
	for _, p := range f.Params() {
		sizes = append(sizes, p.Len())
	}
	tr := newTraining(f.Params(), newAdam(sizes)) // best: the initial weights
	path := filepath.Join(t.TempDir(), "ck")
	require.NoError(t, tr.save(path))
	initial := f.LogProbs(x)

	st, err := NewStepper(f, 16, 3, Settings{LearningRate: 0.05})
	require.NoError(t, err)
	defer st.Close()
	step := func() {
		_, err := st.Step(x)
		require.NoError(t, err)
		require.NotEqual(t, initial, f.LogProbs(x)) // fills the caches with the stepped weights
	}
	step()
	tr.restoreBest()
	require.Equal(t, initial, f.LogProbs(x), "restoreBest")
	requireFresh(t, "restoreBest", s, f, x)

	step()
	loaded, err := tr.load(path, 10)
	require.NoError(t, err)
	require.True(t, loaded)
	require.Equal(t, initial, f.LogProbs(x), "checkpoint")
	requireFresh(t, "checkpoint", s, f, x)
}

// (3) Gate logits and soft mask logits are parameters of the effective mask: writing them (and
// touching them) changes the next numeric call.
func TestMaskLogitsInvalidateLayerCaches(t *testing.T) {
	x := randRows(4, 8, 3)
	for _, s := range cacheSpecs[1:3] {
		t.Run(s.Mask, func(t *testing.T) {
			f := buildFlow(t, s)
			requireFresh(t, "built", s, f, x) // fills the caches
			before := f.LogProbs(x)
			var written []*graph.Param
			for _, l := range f.Layers {
				switch l := l.(type) {
				case *layers.AffineInjection:
					written = append(written, l.Net.Layers[0].Gate)
				case *layers.Injection:
					written = append(written, l.Logits)
				}
			}
			require.NotEmpty(t, written)
			for _, p := range written {
				for i, d := 0, p.Data(); i < len(d); i++ {
					d[i] -= 2 // closes the open gates a good deal
				}
				p.Touch()
			}
			require.NotEqual(t, before, f.LogProbs(x))
			requireFresh(t, "after a logit write", s, f, x)
		})
	}
}
