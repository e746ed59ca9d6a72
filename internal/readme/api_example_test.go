package readme_test

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/distributions/targets"
	"github.com/affineflow/flow/distributions/toy"
	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/masks"
	"github.com/affineflow/flow/modelfile"
	"github.com/affineflow/flow/recipe"
	"github.com/affineflow/flow/trainer"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// What `flow fit` does, from Go: the recipe (package recipe).
func Example_recipe() {
	rng := rand.New(rand.NewSource(1))
	train, val, test := toy.TwoMoons(2000, rng), toy.TwoMoons(500, rng), toy.TwoMoons(500, rng)

	res, err := recipe.Fit(train, val, recipe.Options{Train: trainer.Settings{Epochs: 3}}) // zero Options: flow fit's defaults
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Plan.Why)                // 2,000 rows < 10,000: the best on the validation rows is kept
	fmt.Println(res.Plan.Candidates[0].Name) // maf5 (then maf10; block layers need D > 2)
	nll := res.Flow.NLL(test)                // mean −log p, nats per row
	_ = nll
	// Output:
	// 2,000 rows < 10,000: the best on the validation rows is kept
	// maf5
}

// Building a flow from a Spec and training it with the trainer.
func Example_build() {
	rng := rand.New(rand.NewSource(1))
	train, val := toy.TwoMoons(4096, rng), toy.TwoMoons(1024, rng)

	f, err := distributions.Build(2, distributions.Spec{Layers: 5, Mask: "made", Hidden: []int{64, 64}}, rng)
	if err != nil {
		panic(err)
	}
	res, err := trainer.Fit(f, train, val, trainer.Settings{Epochs: 2, LearningRate: 3e-3, Seed: 1})
	if err != nil { // trainer.FitContext(ctx, ...) stops when ctx is done, keeping the best weights
		panic(err)
	}
	logp := f.LogProbs(val)                // numeric path, any batch size
	x, lp := f.SampleWithLogProb(500, rng) // inverse, dimension by dimension
	path := filepath.Join(os.TempDir(), "moons.json")
	err = modelfile.Save(path, f, modelfile.Meta{"best_epoch": res.BestEpoch})
	fmt.Println(len(logp), x.RawMatrix().Rows, len(lp), f.NumParams(), err)
	// Output:
	// 1024 500 500 23060 <nil>
}

// Layers composed by hand: a MADE layer, an LU linear map, an injection layer with its own mask,
// and a block step (an affine layer over blocks, then the block-diagonal mixing).
func Example_layers() {
	rng := rand.New(rand.NewSource(1))
	d := 4
	made1, _ := layers.NewAffineInjection(masks.Natural(d), layers.AffineSettings{Hidden: []int{32, 32}}, rng)
	banded := masks.Banded(masks.Reversed(d), 2) // M[i][j] = 1: output i may use input j
	inj2, _ := layers.NewInjection(masks.Reversed(d), layers.InjectionSettings{Mask: banded}, rng)
	deg, _ := masks.Blocks([]int{2, 2})
	block, _ := layers.NewAffineInjection(deg, layers.AffineSettings{}, rng)
	mix, err := layers.NewBlockLinear(deg, nil)
	if err != nil {
		panic(err)
	}
	f := &distributions.Flow{Base: distributions.StandardNormal{D: d},
		Layers: []layers.Layer{made1, layers.NewLinear(d, rng), inj2, block, mix}}
	fmt.Println(len(f.Layers), f.Validate())
	// Output:
	// 5 <nil>
}

// Model selection on the validation split, as `flow fit` does on small data.
func Example_select() {
	rng := rand.New(rand.NewSource(1))
	train, val := toy.TwoMoons(1000, rng), toy.TwoMoons(250, rng)
	n, d := train.Dims()
	settings := trainer.Settings{Epochs: 1}

	var cands []trainer.Candidate
	for _, c := range distributions.DefaultCandidates(d, n, distributions.Spec{Hidden: []int{16, 16}}) {
		f, _ := distributions.Build(d, c.Spec, rng) // maf5, maf10, (block when d > 2,) nsf5
		cands = append(cands, trainer.Candidate{Name: c.Name, Model: f})
	}
	best, outcomes, err := trainer.Select(cands, train, val, settings) // lowest validation NLL wins
	fmt.Println(len(outcomes), best >= 0, err)
	// Output:
	// 3 true <nil>
}

// A conditional flow p(x | ctx): here x is the second coordinate of the moons and ctx the first.
func Example_conditional() {
	rng := rand.New(rand.NewSource(1))
	moons, val := toy.TwoMoons(1000, rng), toy.TwoMoons(250, rng)
	x, ctx := column(moons, 1), column(moons, 0)
	xv, ctxv := column(val, 1), column(val, 0)
	d, c := 1, 1
	settings := trainer.Settings{Epochs: 1}

	f, _ := distributions.Build(d, distributions.Spec{Mask: "made", Hidden: []int{16}, Context: c}, rng)
	cf, _ := distributions.Conditional(f) // a trainer.Model of [x, ctx] rows
	_, err := trainer.Fit(cf, distributions.Concat(x, ctx), distributions.Concat(xv, ctxv), settings)
	logp := f.LogProbsContext(x, ctx) // log p(x | ctx) per row
	xs := f.SampleContext(ctx, rng)   // one sample per context row
	fmt.Println(len(logp), xs.RawMatrix().Rows, err)
	// Output:
	// 1000 1000 <nil>
}

// A learned soft mask, hardened and fine-tuned.
func Example_softMask() {
	rng := rand.New(rand.NewSource(1))
	train, val := toy.TwoMoons(1000, rng), toy.TwoMoons(250, rng)
	d := 2
	order := masks.Natural(d)

	l, _ := layers.NewInjection(order, layers.InjectionSettings{LearnMask: true}, rng) // M = σ(L) ⊙ S
	f := &distributions.Flow{Base: distributions.StandardNormal{D: d}, Layers: []layers.Layer{l}}
	s := trainer.Settings{Epochs: 2, LearningRate: 6e-3, Schedule: "cosine", Patience: -1, Sparsity: 0.01}
	_, err := trainer.Fit(f, train, val, s) // loss: mean NLL + λ·Σ M (Flow.MaskSum)
	m := l.EffectiveMask()                  // D×D *mat.Dense: m.At(i, j) is how much output i uses input j
	kept := f.HardenMasks(0.5)              // or f.HardenMasksTopK(k); MADE: made.LearnGates(0.9) before training
	s.Epochs = 2
	_, err2 := trainer.Fit(f, train, val, s) // fine-tune with the fixed 0/1 mask
	fmt.Println(m.At(1, 0) > 0, kept, err, err2)
	// Output:
	// true 1 <nil> <nil>
}

// Both directions: an IAF fitted by reverse KL to an unnormalized density, and samples that carry
// gradients.
func Example_variational() {
	banana, _ := targets.ByName("banana") // or any trainer.LogDensity: func(g, x) log p̃(x) per row
	rng := rand.New(rand.NewSource(1))

	q, _ := distributions.Build(2, distributions.Spec{Layers: 5, Hidden: []int{32, 32}, Inverse: true}, rng) // IAF
	s := trainer.Settings{Epochs: 20, Draws: 8192, LearningRate: 3e-3, Schedule: "cosine", Seed: 1}
	res, err := trainer.FitVariational(context.Background(), q, banana.LogDensity, s) // maximizes the ELBO
	elbo := -res.BestValNLL                                                           // on held-out draws; ≤ log Z
	x, logq := q.SampleWithLogProb(20000, rng)                                        // one pass per layer
	logw := banana.LogDensities(x)
	floats.Sub(logw, logq)
	logZ, ess := trainer.LogZ(logw), trainer.ESS(logw) // importance sampling with q
	fmt.Printf("%.2f %.2f %.2f %.2f %v\n", elbo, logZ, banana.LogZ, ess, err)
	// Output:
	// 1.14 1.14 1.14 1.00 <nil>
}

// column returns column j of m as an N×1 matrix.
func column(m *mat.Dense, j int) *mat.Dense {
	n, _ := m.Dims()
	return mat.DenseCopyOf(m.Slice(0, n, j, j+1))
}
