package trainer

import (
	"math"
	"math/rand"
	"testing"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/distributions/toy"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// A batch run on k shards gives one graph's loss and gradient (to 1e-12 in float64, float32
// precision in float32), over two runs (the shards' gradients are zeroed between them), for
// shares of equal and unequal rows and graphKinds; the soft masks' penalty is counted once. Under -race it also checks that the shards share no tensor.
func TestShardsExact(t *testing.T) {
	specs := graphKinds
	for _, spec := range specs {
		for _, f32 := range []bool{false, true} {
			rng := rand.New(rand.NewSource(3))
			f := perturbedFlow(t, 3, spec, rng)
			x := mat.NewDense(32, 3, nil)
			one, err := newShards(f, 32, 3, 1, 0.01, f32)
			require.NoError(t, err)
			sizes := make([]int, len(one.st[0].params))
			for k, p := range one.st[0].params {
				sizes[k] = p.Len()
			}
			a := newAdam(sizes)
			for _, k := range []int{2, 3} {
				many, err := newShards(f, 32, 3, k, 0.01, f32)
				require.NoError(t, err)
				for run := 0; run < 2; run++ {
					x.Apply(func(_, _ int, _ float64) float64 { return rng.NormFloat64() }, x)
					for r := 0; r < 32; r++ {
						one.setRow(r, x.RawRowView(r))
						many.setRow(r, x.RawRowView(r))
					}
					want, err := one.run(a, nil, nil)
					require.NoError(t, err)
					got, err := many.run(a, nil, nil)
					require.NoError(t, err)
					tol := 1e-12
					if f32 {
						tol = 1e-4
					}
					require.InDeltaf(t, want, got, tol*math.Max(1, math.Abs(want)), "%+v float32 %t, %d shards, run %d: loss", spec, f32, k, run)
					compareGrads(t, gradsOf(one.g, one.g32), gradsOf(many.g, many.g32), tol)
				}
				many.close()
			}
			one.close()
		}
	}
}

// gradsOf returns the gradients g, or g32 in float64.
func gradsOf(g [][]float64, g32 [][]float32) [][]float64 {
	if g32 == nil {
		return g
	}
	out := make([][]float64, len(g32))
	for k, g := range g32 {
		for _, v := range g {
			out[k] = append(out[k], float64(v))
		}
	}
	return out
}

// compareGrads requires got = want to tol relative to each parameter's largest gradient.
func compareGrads(t *testing.T, want, got [][]float64, tol float64) {
	t.Helper()
	for k, g := range want {
		scale := 1e-3
		for _, v := range g {
			scale = math.Max(scale, math.Abs(v))
		}
		for i, v := range g {
			require.InDeltaf(t, v, got[k][i], tol*scale, "parameter %d, value %d", k, i)
		}
	}
}

// A fit on shards ends with the one-graph fit's weights (to 1e-9: the order of the sums aside);
// more shards than rows are refused.
func TestShardsFit(t *testing.T) {
	rng := rand.New(rand.NewSource(4))
	train, val := toy.Spirals(512, rng), toy.Spirals(128, rng)
	s := Settings{Epochs: 3, BatchSize: 64, Seed: 2, Patience: -1, Schedule: "cosine"}
	build := func() *distributions.Flow {
		f, err := distributions.Build(2, distributions.Spec{Layers: 3, Hidden: []int{16, 16}, Between: "actnorm"}, rand.New(rand.NewSource(5)))
		require.NoError(t, err)
		return f
	}
	one := build()
	want, err := Fit(one, train, val, s)
	require.NoError(t, err)
	for _, k := range []int{2, 3} {
		f := build()
		s.Shards = k
		got, err := Fit(f, train, val, s)
		require.NoError(t, err)
		require.Equal(t, want.Steps, got.Steps)
		for i, p := range f.Params() {
			require.InDeltaSlice(t, one.Params()[i].Data(), p.Data(), 1e-9, "%d shards, parameter %s", k, p.Name)
		}
		require.InDelta(t, want.BestValNLL, got.BestValNLL, 1e-9)
	}
	_, err = NewStepper(build(), 4, 2, Settings{Shards: 5})
	require.ErrorContains(t, err, "5 shards of a batch of 4 rows")
	_, err = NewStepper(build(), 4, 2, Settings{Shards: -1})
	require.ErrorContains(t, err, "shards -1")
}

// After Adam steps the copies of the parameters in float32 graphs and private shards are refreshed
// only on Adam's spans (Stepper.changed), or in a float32 first shard not at all (Adam wrote them:
// Stepper.written), yet equal the parameters on their supports (all of an unrestricted parameter)
// and zero elsewhere: after a step, and after a write outside the spans or to an unrestricted
// parameter followed by Touch (then the whole parameter is copied, the support only).
func TestSyncSpans(t *testing.T) {
	rng := rand.New(rand.NewSource(6))
	f, err := distributions.Build(3, distributions.Spec{Layers: 2, Hidden: []int{16}}, rng)
	require.NoError(t, err)
	for _, f32 := range []bool{true, false} {
		s, err := NewStepper(f, 32, 3, Settings{Float32: f32, Shards: 2})
		require.NoError(t, err)
		x := mat.NewDense(32, 3, nil)
		step := func() {
			x.Apply(func(_, _ int, _ float64) float64 { return rng.NormFloat64() }, x)
			_, err := s.Step(x)
			require.NoError(t, err)
		}
		// check refreshes the copies as the next run would and compares them with the parameters
		check := func(what string) {
			require.Equal(t, f32, s.opt.out != nil, "Adam writes the first shard's float32 copies")
			s.sh.sync(s.changed, s.written)
			for _, st := range s.sh.st {
				for _, p := range st.g.Params() {
					in := onSupport(st.g.Spans(p), p.Len())
					shared := st.g.Param(p).Value() == p.T // a float64 graph's first shard
					for i, v := range p.Data() {
						if !shared && st.g.Spans(p) != nil && !in[i] {
							v = 0
						}
						var got float64
						switch d := st.g.Param(p).Value().Data().(type) {
						case []float32:
							got, v = float64(d[i]), float64(float32(v))
						case []float64:
							got = d[i]
						}
						require.Equalf(t, v, got, "float32 %t, %s: %s[%d]", f32, what, p.Name, i)
					}
				}
			}
		}
		for range 3 {
			step()
		}
		check("after steps")
		// a write outside Adam's spans (a weight the mask keeps at zero), with Touch
		restricted := false
		for _, p := range s.st.params {
			if spans := s.st.g.Spans(p); spans == nil || spans[0].Lo == 0 {
				continue
			}
			restricted = true
			p.Data()[0] = 0.25
			p.Touch()
		}
		require.True(t, restricted, "no parameter restricted to spans that leave out its first value")
		check("after a touched write")
		// and a write to an unrestricted parameter (a bias: every value is Adam's), with Touch
		for _, p := range s.st.params {
			if s.st.g.Spans(p) == nil {
				p.Data()[0] += 0.5
				p.Touch()
			}
		}
		check("after a touched write of a bias")
		step()
		check("after one more step")
		s.Close()
	}
}
