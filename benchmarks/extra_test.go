package benchmarks

import (
	"fmt"
	"strings"
	"testing"
)

// blockMask splits d into k equal blocks (the last takes the remainder): "block:2,2,2,2".
func blockMask(d, k int) string {
	sizes := make([]string, k)
	for i := range sizes {
		s := d / k
		if i == k-1 {
			s = d - (k-1)*(d/k)
		}
		sizes[i] = fmt.Sprint(s)
	}
	return "block:" + strings.Join(sizes, ",")
}

// BenchmarkSampleBlocks: sampling with block-autoregressive masks (K blocks need K passes per
// layer instead of D).
func BenchmarkSampleBlocks(b *testing.B) {
	for _, c := range configs {
		for _, k := range []int{2, 4} {
			b.Run(fmt.Sprintf("%s/K=%d", c.name(), k), func(b *testing.B) { sample(b, c, blockMask(c.D, k), 512) })
		}
	}
}

// BenchmarkLogProbBatch: the inference path across batch sizes (small batches run on one goroutine).
func BenchmarkLogProbBatch(b *testing.B) {
	c := configs[0]
	for _, n := range []int{64, 512, 16384} {
		b.Run(fmt.Sprintf("%s/N=%d", c.name(), n), func(b *testing.B) { logProb(b, c, "", n) })
	}
}

// BenchmarkTrainStepBatch: the training step across batch sizes.
func BenchmarkTrainStepBatch(b *testing.B) {
	c := configs[0]
	for _, n := range []int{64, 1024} {
		b.Run(fmt.Sprintf("%s/N=%d", c.name(), n), func(b *testing.B) { trainStep(b, c, "", n) })
	}
}
