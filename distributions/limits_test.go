package distributions

import (
	"math/rand"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestBuildRefusesHugeModels: widths that would need more than MaxParams parameters are refused
// before anything is allocated (-hidden 100000000 used to run out of memory), while the largest
// model of the MAF paper (MAF(10), 2×1024 hidden units on MNIST) is built.
func TestBuildRefusesHugeModels(t *testing.T) {
	for _, c := range []struct {
		d    int
		spec Spec
	}{
		{8, Spec{Hidden: []int{100_000_000}}},
		{8, Spec{Hidden: []int{1 << 40, 1 << 40}}},
		{1 << 40, Spec{}},
		{784, Spec{Layers: 1000, Hidden: []int{1024, 1024}}},
	} {
		_, err := Build(c.d, c.spec, rand.New(rand.NewSource(1)))
		require.ErrorContains(t, err, "distributions.MaxParams", "d=%d %+v", c.d, c.spec)
	}
	require.LessOrEqual(t, estimateParams(784, Spec{Layers: 10, Hidden: []int{1024, 1024}}), float64(MaxParams))
}
