package toy_test

import (
	"fmt"
	"math/rand"

	"github.com/affineflow/flow/distributions/toy"
)

func Example() {
	rng := rand.New(rand.NewSource(1))
	for _, tg := range toy.Targets() {
		x := tg.Sample(256, rng)
		r, c := x.Dims()
		fmt.Printf("%-12s %d×%d closed-form density: %v\n", tg.Name, r, c, tg.LogProb != nil)
	}
	if _, err := toy.ByName("swissroll"); err != nil {
		fmt.Println(err)
	}
	fmt.Printf("checkerboard entropy %.4f nats, 8gaussians entropy %.4f nats\n",
		toy.CheckerboardEntropy, toy.EightGaussiansEntropy)
	// Output:
	// moons        256×2 closed-form density: false
	// 8gaussians   256×2 closed-form density: true
	// checkerboard 256×2 closed-form density: true
	// rings        256×2 closed-form density: false
	// spirals      256×2 closed-form density: false
	// toy: unknown target "swissroll" (known: moons, 8gaussians, checkerboard, rings, spirals)
	// checkerboard entropy 3.4657 nats, 8gaussians entropy 2.8319 nats
}

func ExampleCheckerboardLogProb() {
	x := toy.Checkerboard(3, rand.New(rand.NewSource(2)))
	for _, lp := range toy.CheckerboardLogProb(x) {
		fmt.Printf("%.4f\n", lp)
	}
	// Output:
	// -3.4657
	// -3.4657
	// -3.4657
}
