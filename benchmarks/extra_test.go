package benchmarks

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/trainer"
)

// blockMask splits d into k equal blocks (the last takes the remainder): "block:2,2,2,2".
func blockMask(d, k int) string {
	sizes := make([]string, k)
	for i := range sizes {
		s := d / k
		if i == k-1 {
			s = d - (k-1)*(d/k)
		}
		sizes[i] = fmt.Sprint(s)
	}
	return "block:" + strings.Join(sizes, ",")
}

// BenchmarkSampleBlocks: sampling with block-autoregressive masks ("block:SIZES": each layer an
// AffineInjection with K blocks, then the block-diagonal Linear mixing inside each block). A layer
// inverts in K sequential steps (one per block) instead of D; K = D is the MAF ("made") layer.
// N=512 is a batch of samples, N=1 the latency of one sample, where the per-step overhead shows.
func BenchmarkSampleBlocks(b *testing.B) {
	for _, c := range configs {
		ks := []int{2, 4, 8}
		if c.D > 8 {
			ks = append(ks, 16, c.D)
		}
		for _, n := range []int{512, 1} {
			for _, k := range ks {
				b.Run(fmt.Sprintf("%s/N=%d/K=%d", c.name(), n, k), func(b *testing.B) {
					sample(b, c, blockMask(c.D, k), n)
					b.ReportMetric(float64(k), "steps/layer")
				})
			}
		}
	}
}

// BenchmarkLogProbBatch: the inference path across batch sizes (small batches run on one goroutine).
func BenchmarkLogProbBatch(b *testing.B) {
	c := configs[0]
	for _, n := range []int{64, 512, 16384} {
		b.Run(fmt.Sprintf("%s/N=%d", c.name(), n), func(b *testing.B) { logProb(b, c, "", n) })
	}
}

// BenchmarkTrainStepBatch: the training step across batch sizes.
func BenchmarkTrainStepBatch(b *testing.B) {
	c := configs[0]
	for _, n := range []int{64, 1024} {
		b.Run(fmt.Sprintf("%s/N=%d", c.name(), n), func(b *testing.B) { trainStep(b, c, "", n, trainer.Settings{}) })
	}
}

// BenchmarkSampleOne: the latency of one sample, Flow.Sample(1, rng), with the plain MAF of
// BenchmarkSample (what a caller drawing samples one at a time pays per sample).
func BenchmarkSampleOne(b *testing.B) {
	for _, c := range configs {
		b.Run(c.name(), func(b *testing.B) { sample(b, c, "", 1) })
	}
}

// BenchmarkTrainStepBase: the MAF-5 step of BenchmarkTrainStep (D=8) with the bases of -base:
// N(0, I), a mixture of 10 diagonal Gaussians (mog:10) and MADE MoG with 10 components per
// dimension (made-mog:10, whose MADE has the layers' hidden widths: the base of "MAF MoG").
func BenchmarkTrainStepBase(b *testing.B) {
	c := configs[0]
	for _, base := range []struct {
		name string
		spec distributions.Spec
	}{
		{"normal", distributions.Spec{}},
		{"mog:10", distributions.Spec{Mixture: 10}},
		{"made-mog:10", distributions.Spec{Mixture: 10, MixtureMADE: true}},
	} {
		b.Run(c.name()+"/"+base.name, func(b *testing.B) { trainStepFlow(b, mafSpec(b, c, base.spec), 256, trainer.Settings{}) })
	}
}

// BenchmarkTransform: the MAF-5 of BenchmarkTrainStep with the affine map and with
// rational-quadratic splines of 8 bins (-transform spline): a training step on 256 rows, and
// drawing 512 samples.
func BenchmarkTransform(b *testing.B) {
	for _, c := range configs {
		for _, tr := range []layers.Transform{{}, layers.Spline(layers.DefaultSplineBins, 0)} {
			spec := distributions.Spec{Transform: tr}
			b.Run(c.name()+"/step/"+tr.String(), func(b *testing.B) { trainStepFlow(b, mafSpec(b, c, spec), 256, trainer.Settings{}) })
			b.Run(c.name()+"/sample/"+tr.String(), func(b *testing.B) { sampleFlow(b, mafSpec(b, c, spec), 512) })
		}
	}
}

// BenchmarkSampleDirection: sampling a MAF-5 (the teacher of flow distill: its inverse runs degree
// by degree, incrementally) against the IAF-5 of the same size (its student: one conditioner pass
// per layer), in batches of 512 and one row at a time; and the density of each, which the IAF pays
// sequentially (layers.Chains graph passes in training, the incremental inverse numerically).
func BenchmarkSampleDirection(b *testing.B) {
	for _, c := range configs {
		for _, dir := range []struct {
			name    string
			inverse bool
		}{{"maf", false}, {"iaf", true}} {
			f := mafSpec(b, c, distributions.Spec{Inverse: dir.inverse})
			for _, n := range []int{512, 1} {
				b.Run(fmt.Sprintf("%s/%s/sample/N=%d", c.name(), dir.name, n), func(b *testing.B) { sampleFlow(b, f, n) })
			}
			b.Run(fmt.Sprintf("%s/%s/logprob/N=4096", c.name(), dir.name), func(b *testing.B) { logProbFlow(b, f, 4096) })
		}
	}
}

// BenchmarkSampleStudent: the teacher and the students of the README's distillation of
// power_subset (D = 6, tanh, five layers): the MAF teacher of hidden 64,64 against IAF students of
// `flow distill -loss mirror` of hidden 64,64, 128,128 (the default) and 256,256, drawing 512
// rows. The MAF's numeric inverse is incremental, so a student samples faster only when it is
// about as narrow as its teacher.
func BenchmarkSampleStudent(b *testing.B) {
	for _, m := range []struct {
		name    string
		h       int
		inverse bool
	}{{"teacher/maf-64", 64, false}, {"student/iaf-64", 64, true}, {"student/iaf-128", 128, true}, {"student/iaf-256", 256, true}} {
		f := mafSpec(b, config{6, m.h}, distributions.Spec{Inverse: m.inverse, Activation: layers.Tanh})
		b.Run(m.name, func(b *testing.B) { sampleFlow(b, f, 512) })
	}
}

// BenchmarkTrainStepParallel: one data-parallel step of the MAF-5 on a global batch of 256 with
// 1 and 2 in-process ranks (trainer.LocalComms; each rank a Stepper of 256/N rows on its own copy
// of the model, single-threaded, the gradients summed): what `mpirun -np 2 flow fit` does on the
// two cores of one machine, without MPI's transport. samples/s counts the global batch.
func BenchmarkTrainStepParallel(b *testing.B) {
	for _, c := range configs {
		for _, n := range []int{1, 2} {
			b.Run(fmt.Sprintf("%s/ranks=%d", c.name(), n), func(b *testing.B) {
				comms := trainer.LocalComms(n)
				steppers := make([]*trainer.Stepper, n)
				for r := range steppers {
					st, err := trainer.NewStepper(maf(b, c, ""), 256/n, c.D, trainer.Settings{Comm: comms[r]})
					if err != nil {
						b.Fatal(err)
					}
					defer st.Close()
					steppers[r] = st
				}
				x := gaussian(256/n, c.D, 2)
				step := func() {
					var wg sync.WaitGroup
					for _, st := range steppers {
						wg.Add(1)
						go func() {
							defer wg.Done()
							if _, err := st.Step(x); err != nil {
								b.Error(err)
							}
						}()
					}
					wg.Wait()
				}
				step()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					step()
				}
				perSecond(b, 256)
			})
		}
	}
}
