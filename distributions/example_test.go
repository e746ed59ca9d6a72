package distributions_test

import (
	"fmt"
	"math/rand"

	"github.com/affineflow/flow/distributions"
	"gonum.org/v1/gonum/mat"
)

// A new flow starts as the identity, so its density is the base density.
func ExampleBuild() {
	rng := rand.New(rand.NewSource(1))
	f, err := distributions.Build(2, distributions.Spec{Layers: 5, Hidden: []int{32, 32}}, rng)
	if err != nil {
		panic(err)
	}
	x := mat.NewDense(1, 2, []float64{0, 0})
	fmt.Printf("layers=%d log p(0) = %.4f\n", len(f.Layers), f.LogProbs(x)[0])
	s := f.Sample(3, rng)
	r, c := s.Dims()
	fmt.Println("sample shape:", r, c)
	// Output:
	// layers=5 log p(0) = -1.8379
	// sample shape: 3 2
}

func ExampleStandardNormal() {
	b := distributions.StandardNormal{D: 1}
	fmt.Printf("%.6f\n", b.LogProbs(mat.NewDense(2, 1, []float64{0, 1})))
	// Output:
	// [-0.918939 -1.418939]
}

func ExampleDefaultHidden() {
	for _, d := range []int{6, 16, 43, 63} {
		fmt.Println(d, distributions.DefaultHidden(d))
	}
	// Output:
	// 6 [128 128]
	// 16 [128 128]
	// 43 [512 512]
	// 63 [512 512]
}

// A Student-t base charges a far point tens of nats where N(0, I) charges thousands.
func ExampleStudentT() {
	t, _ := distributions.NewStudentT(2, 10)
	y := mat.NewDense(2, 2, []float64{0, 0, 30, 40}) // the origin, and a point at distance 50
	fmt.Printf("normal:    %.1f %.1f\n", distributions.StandardNormal{D: 2}.LogProbs(y)[0], distributions.StandardNormal{D: 2}.LogProbs(y)[1])
	fmt.Printf("student-t: %.1f %.1f\n", t.LogProbs(y)[0], t.LogProbs(y)[1])
	// Output:
	// normal:    -1.8 -1251.8
	// student-t: -1.8 -35.0
}
