package main

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSizesAndKs(t *testing.T) {
	require.Equal(t, []int{3, 3, 2, 2}, sizes(10, 4))
	require.Equal(t, []int{1, 1, 1}, sizes(3, 3))
	ks, err := parseKs("", 10)
	require.NoError(t, err)
	require.Equal(t, []int{2, 4, 6, 8, 10}, ks)
	ks, err = parseKs("", 7)
	require.NoError(t, err)
	require.Equal(t, []int{2, 4, 6, 7}, ks)
	_, err = parseKs("2,11", 10)
	require.ErrorContains(t, err, `"11"`)
}

// The hidden widths chosen per K give effective parameter counts within 2% of the target.
func TestMatchHidden(t *testing.T) {
	target := effectiveParams(mustBuild(10, 10, 64, 5))
	for _, k := range []int{2, 5, 10} {
		h, p := matchHidden(10, k, target, 5)
		require.Less(t, math.Abs(float64(p-target))/float64(target), 0.02, "K=%d hidden %d: %d parameters, target %d", k, h, p, target)
		require.Equal(t, p, effectiveParams(mustBuild(10, k, h, 5)))
	}
	h, _ := matchHidden(10, 10, target, 5)
	require.Equal(t, 64, h)
}
