package benchmarks

import (
	"fmt"
	"math/rand"
	"os"
	"testing"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/graph"
	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/layers/layertest"
	"github.com/affineflow/flow/trainer"
	"gonum.org/v1/gonum/mat"
)

// config is one benchmarked size: data width D and hidden width H of the MADE conditioners.
type config struct{ D, H int }

var configs = []config{{8, 128}, {63, 512}}

func (c config) name() string { return fmt.Sprintf("D=%d", c.D) }

// maf returns the reference MAF-5 (mask kind "made" by default) with slightly perturbed weights,
// so that no layer is the identity; the weights a mask keeps at zero stay zero, as in a fit from
// the layers' initialization (a training graph's W ⊙ M is then W: graph.OnSpans).
func maf(b *testing.B, c config, mask string) *distributions.Flow {
	return mafSpec(b, c, distributions.Spec{Mask: mask})
}

// mafSpec is maf with the base (and mask) of spec; its Layers and Hidden are those of MAF-5.
func mafSpec(b *testing.B, c config, spec distributions.Spec) *distributions.Flow {
	b.Helper()
	rng := rand.New(rand.NewSource(1))
	spec.Layers, spec.Hidden = 5, []int{c.H, c.H}
	f, err := distributions.Build(c.D, spec, rng)
	if err != nil {
		b.Fatal(err)
	}
	layertest.Perturb(f, rng, 0.01)
	zeroOffSupport(f)
	return f
}

// zeroOffSupport sets to zero the values of f's parameters outside their supports in a training
// graph (graph.Graph.Restrict: the weights their masks keep at zero).
func zeroOffSupport(f *distributions.Flow) {
	g := graph.New()
	f.LogProb(g, g.Input("x", 1, f.Dim()))
	for _, p := range f.Params() {
		spans := g.Spans(p)
		if spans == nil {
			continue
		}
		d, at := p.Data(), 0
		for _, sp := range spans {
			clear(d[at:sp.Lo])
			at = sp.Hi
		}
		clear(d[at:])
		p.Touch()
	}
}

func gaussian(n, d int, seed int64) *mat.Dense {
	rng := rand.New(rand.NewSource(seed))
	x := mat.NewDense(n, d, nil)
	raw := x.RawMatrix().Data
	for i := range raw {
		raw[i] = rng.NormFloat64()
	}
	return x
}

// perSecond reports rows·b.N / elapsed as samples/s.
func perSecond(b *testing.B, rows int) {
	if s := b.Elapsed().Seconds(); s > 0 {
		b.ReportMetric(float64(rows)*float64(b.N)/s, "samples/s")
	}
}

func trainStep(b *testing.B, c config, mask string, batch int, s trainer.Settings) {
	trainStepFlow(b, maf(b, c, mask), batch, s)
}

func trainStepFlow(b *testing.B, f *distributions.Flow, batch int, s trainer.Settings) {
	c := config{D: f.Dim()}
	st, err := trainer.NewStepper(f, batch, c.D, s)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	x := gaussian(batch, c.D, 2)
	if _, err := st.Step(x); err != nil { // warm-up: first-run allocations
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := st.Step(x); err != nil {
			b.Fatal(err)
		}
	}
	perSecond(b, batch)
	if sec := b.Elapsed().Seconds(); sec > 0 {
		b.ReportMetric(stepFlops(f, batch)*float64(b.N)/sec/1e9, "GFLOP/s")
	}
}

// stepFlops counts the multiply-adds (×2) of the GEMMs of one training step of f on n rows: per
// conditioner map (and map of a MADE MoG base's net) h·W forward, hᵀ·g for ∂W and g·Wᵀ for ∂h
// (none for the data input), each as the fused map performs it: without the zero blocks of its
// mask (graph.Bands).
func stepFlops(f *distributions.Flow, n int) float64 {
	total := 0.0
	first := true
	nets := []*layers.Net{}
	for _, l := range f.Layers {
		if a, ok := l.(*layers.AffineInjection); ok {
			nets = append(nets, &a.Net)
		}
	}
	if m, ok := f.Base.(*distributions.MADEMixture); ok {
		nets = append(nets, &m.Net)
	}
	for _, net := range nets {
		for k, dn := range net.Layers {
			s := dn.W.Shape()
			cols, rows := 1.0, 1.0
			if dn.Mask != nil {
				cols, rows = graph.NewBands(dn.Mask).Kept()
			}
			mults := 2*cols + rows
			if first && k == 0 {
				mults = 2 * cols
			}
			total += mults * 2 * float64(n) * float64(s[0]) * float64(s[1])
		}
		first = false
	}
	return total
}

func logProb(b *testing.B, c config, mask string, batch int) { logProbFlow(b, maf(b, c, mask), batch) }

func logProbFlow(b *testing.B, f *distributions.Flow, batch int) {
	x := gaussian(batch, f.Dim(), 3)
	f.LogProbs(x)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f.LogProbs(x)
	}
	perSecond(b, batch)
}

func sample(b *testing.B, c config, mask string, n int) { sampleFlow(b, maf(b, c, mask), n) }

func sampleFlow(b *testing.B, f *distributions.Flow, n int) {
	rng := rand.New(rand.NewSource(4))
	f.Sample(n, rng)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f.Sample(n, rng)
	}
	perSecond(b, n)
}

// BenchmarkTrainStep: one forward/backward/Adam step on a batch of 256 (gorgonia graph and VM).
func BenchmarkTrainStep(b *testing.B) {
	for _, c := range configs {
		b.Run(c.name(), func(b *testing.B) { trainStep(b, c, "", 256, trainer.Settings{}) })
	}
}

// BenchmarkTrainStepShards: the step of BenchmarkTrainStep and BenchmarkTrainStepFloat32 on two
// shards of 128 rows (trainer.Settings.Shards), each through its own copy of the training graph
// on its own goroutine: both cores at work where the products are too small to split.
func BenchmarkTrainStepShards(b *testing.B) {
	for _, c := range configs {
		for _, f32 := range []bool{false, true} {
			name := c.name() + "/float64"
			if f32 {
				name = c.name() + "/float32"
			}
			b.Run(name, func(b *testing.B) { trainStep(b, c, "", 256, trainer.Settings{Shards: 2, Float32: f32}) })
		}
	}
}

// BenchmarkTrainStepFloat32: the same step with the training graph in float32 (mixed precision:
// float64 master weights and Adam).
func BenchmarkTrainStepFloat32(b *testing.B) {
	for _, c := range configs {
		b.Run(c.name(), func(b *testing.B) { trainStep(b, c, "", 256, trainer.Settings{Float32: true}) })
	}
}

// BenchmarkLogProb: numeric log p(x) of 4096 rows (the inference path).
func BenchmarkLogProb(b *testing.B) {
	for _, c := range configs {
		b.Run(c.name(), func(b *testing.B) { logProb(b, c, "", 4096) })
	}
}

// BenchmarkSample: drawing 512 samples (D sequential conditioner passes per layer).
func BenchmarkSample(b *testing.B) {
	for _, c := range configs {
		b.Run(c.name(), func(b *testing.B) { sample(b, c, "", 512) })
	}
}

// TestMain prints which BLAS the build uses before the benchmark lines.
func TestMain(m *testing.M) {
	fmt.Printf("blas: %s\n", graph.BLAS)
	os.Exit(m.Run())
}
