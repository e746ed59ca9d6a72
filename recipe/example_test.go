package recipe_test

import (
	"fmt"
	"math/rand"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/distributions/toy"
	"github.com/affineflow/flow/recipe"
	"github.com/affineflow/flow/trainer"
)

// Fit does what `flow fit` does; here with small conditioners and a short budget, so that the
// example runs in a second. On 2,000 rows of two dimensions the recipe selects among MAF-5, MAF-10
// and the spline MAF-5 (block layers need more than two dimensions) with a Student-t base.
func ExampleFit() {
	rng := rand.New(rand.NewSource(1))
	train, val, test := toy.TwoMoons(2000, rng), toy.TwoMoons(500, rng), toy.TwoMoons(500, rng)

	res, err := recipe.Fit(train, val, recipe.Options{
		Spec:  distributions.Spec{Hidden: []int{16, 16}},
		Train: trainer.Settings{Epochs: 20, Seed: 1},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Plan.Why)
	fmt.Println("kept:", res.Plan.Candidates[res.Kept].Name, "base:", res.Plan.Base)
	fmt.Printf("test NLL %.1f nats, %d parameters\n", res.Flow.NLL(test), res.Flow.NumParams())
	// Output:
	// 2,000 rows < 10,000: the best on the validation rows is kept
	// kept: nsf5 base: student-t:10
	// test NLL 2.5 nats, 5510 parameters
}
