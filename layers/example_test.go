package layers_test

import (
	"fmt"
	"math/rand"

	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/masks"
	"gonum.org/v1/gonum/mat"
)

// A MADE affine injection layer in reversed order: output i may use inputs later in index order,
// and a new layer is the identity.
func ExampleNewAffineInjection() {
	l, err := layers.NewAffineInjection(masks.Reversed(3), layers.AffineSettings{Hidden: []int{8, 8}}, rand.New(rand.NewSource(1)))
	if err != nil {
		panic(err)
	}
	fmt.Printf("Jacobian pattern:\n%v\n", mat.Formatted(l.Pattern()))
	y, logdet := l.Transform(mat.NewDense(1, 3, []float64{1, 2, 3}))
	fmt.Println(mat.Row(nil, 0, y), logdet)
	// Output:
	// Jacobian pattern:
	// ⎡1  1  1⎤
	// ⎢0  1  1⎥
	// ⎣0  0  1⎦
	// [1 2 3] [0]
}

// The per-dimension injection layer accepts any mask on the order's strictly lower support; here
// output 2 ignores input 0.
func ExampleNewInjection() {
	m := mat.NewDense(3, 3, []float64{
		0, 0, 0,
		1, 0, 0,
		0, 0.5, 0,
	})
	l, err := layers.NewInjection(masks.Natural(3), layers.InjectionSettings{Mask: m}, rand.New(rand.NewSource(1)))
	if err != nil {
		panic(err)
	}
	fmt.Printf("%v\n", mat.Formatted(l.Pattern()))
	// Output:
	// ⎡1  0  0⎤
	// ⎢1  1  0⎥
	// ⎣0  1  1⎦
}
