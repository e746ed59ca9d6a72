package masks_test

import (
	"fmt"
	"testing"

	"github.com/affineflow/flow/masks"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// A band of width 1 in the reversed order of 4: each dimension sees the one after it.
func ExampleBanded() {
	fmt.Printf("%v\n", mat.Formatted(masks.Banded(masks.Reversed(4), 1)))
	// Output:
	// ⎡0  1  0  0⎤
	// ⎢0  0  1  0⎥
	// ⎢0  0  0  1⎥
	// ⎣0  0  0  0⎦
}

// Every band is strictly autoregressive in its order, and the widest is the full dependency.
func TestBanded(t *testing.T) {
	order := masks.Degrees{3, 1, 4, 2}
	for w := 1; w <= 4; w++ {
		require.NoError(t, masks.CheckDependency(masks.Banded(order, w), order), "w=%d", w)
	}
	require.True(t, mat.Equal(masks.Dependency(order), masks.Banded(order, 3)))
	require.Equal(t, 3.0, mat.Sum(masks.Banded(order, 1)))
}
