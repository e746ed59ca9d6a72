package trainer_test

import (
	"fmt"
	"math/rand"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/distributions/toy"
	"github.com/affineflow/flow/trainer"
)

// Select fits the candidates alike and keeps the one with the best validation NLL: on the two
// moons, a MAF over a Gaussian (one block of both dimensions: an affine map).
func ExampleSelect() {
	rng := rand.New(rand.NewSource(1))
	train, val := toy.TwoMoons(1024, rng), toy.TwoMoons(256, rng)
	var cands []trainer.Candidate
	for _, c := range []distributions.Candidate{
		{Name: "gaussian", Spec: distributions.Spec{Layers: 1, Mask: "block:2", Hidden: []int{8}}}, // one block: a linear map, so a Gaussian
		{Name: "maf", Spec: distributions.Spec{Layers: 3, Hidden: []int{32, 32}}},
	} {
		f, err := distributions.Build(2, c.Spec, rng)
		if err != nil {
			panic(err)
		}
		cands = append(cands, trainer.Candidate{Name: c.Name, Model: f})
	}
	best, outcomes, err := trainer.Select(cands, train, val, trainer.Settings{Epochs: 10, BatchSize: 128, Seed: 1})
	if err != nil {
		panic(err)
	}
	fmt.Println("selected", cands[best].Name)
	fmt.Println("maf better by more than 0.1 nats:", outcomes[0].Result.BestValNLL-outcomes[1].Result.BestValNLL > 0.1)
	// Output:
	// selected maf
	// maf better by more than 0.1 nats: true
}
