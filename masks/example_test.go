package masks_test

import (
	"fmt"
	"math/rand"

	"gonum.org/v1/gonum/mat"

	"github.com/affineflow/flow/masks"
)

func ExampleBetween() {
	in := masks.Natural(3)
	hidden := masks.Degrees{1, 2, 1, 2}
	fmt.Printf("input → hidden:\n%v\n", mat.Formatted(masks.Between(in, hidden, false)))
	fmt.Printf("hidden → output:\n%v\n", mat.Formatted(masks.Between(hidden, in, true)))
	// Output:
	// input → hidden:
	// ⎡1  1  1  1⎤
	// ⎢0  1  0  1⎥
	// ⎣0  0  0  0⎦
	// hidden → output:
	// ⎡0  1  1⎤
	// ⎢0  0  1⎥
	// ⎢0  1  1⎥
	// ⎣0  0  1⎦
}

func ExampleDependency() {
	fmt.Printf("%v\n\n", mat.Formatted(masks.Dependency(masks.Reversed(3))))
	blocks, err := masks.Blocks([]int{2, 1})
	if err != nil {
		panic(err)
	}
	fmt.Println(blocks)
	fmt.Printf("%v\n", mat.Formatted(masks.Dependency(blocks)))
	// Output:
	// ⎡0  1  1⎤
	// ⎢0  0  1⎥
	// ⎣0  0  0⎦
	//
	// [1 1 2]
	// ⎡0  0  0⎤
	// ⎢0  0  0⎥
	// ⎣1  1  0⎦
}

func ExampleMADE() {
	in := masks.Natural(3)
	ms, hidden := masks.MADE(in, []int{4, 4}, 2, nil)
	fmt.Println("hidden degrees:", hidden)
	fmt.Println("check:", masks.Check(ms, in))
	fmt.Println("maximal:", masks.CheckMaximal(ms, in))
	// Rows are inputs, columns the outputs: shifts for x0..x2, then scales.
	fmt.Printf("%v\n", mat.Formatted(masks.Connectivity(ms)))
	// Output:
	// hidden degrees: [[1 1 2 2] [1 1 2 2]]
	// check: <nil>
	// maximal: <nil>
	// ⎡0  1  1  0  1  1⎤
	// ⎢0  0  1  0  0  1⎥
	// ⎣0  0  0  0  0  0⎦
}

func ExampleMADE_random() {
	rng := rand.New(rand.NewSource(1))
	in := masks.Random(4, rng)
	ms, _ := masks.MADE(in, []int{16, 16}, 2, rng)
	fmt.Println(masks.Check(ms, in))
	// Output:
	// <nil>
}

func ExampleCheck() {
	in := masks.Natural(3)
	ms, _ := masks.MADE(in, []int{4}, 1, nil)
	ms[0].Set(2, 3, 1) // wire x2 (degree 3) into a hidden unit of degree 2
	fmt.Println(masks.Check(ms, in))
	// Output:
	// masks: output 2 (degree 3) sees input 2 (degree 3)
}

func ExampleTopK() {
	values := mat.NewDense(3, 3, []float64{
		0.9, 0.8, 0.1,
		0.6, 0.7, 0.3,
		0.2, 0.9, 0.4,
	})
	soft, err := masks.Soft(values, masks.Dependency(masks.Natural(3)))
	if err != nil {
		panic(err)
	}
	fmt.Printf("%v\n\n", mat.Formatted(soft))
	fmt.Printf("%v\n", mat.Formatted(masks.TopK(soft, 1)))
	// Output:
	// ⎡  0    0    0⎤
	// ⎢0.6    0    0⎥
	// ⎣0.2  0.9    0⎦
	//
	// ⎡0  0  0⎤
	// ⎢1  0  0⎥
	// ⎣0  1  0⎦
}
