package fastblas

import (
	"fmt"
	"testing"
)

// BenchmarkTranspose: the transposes of a training step's operands, a 256×512 batch of activations
// and a 512×512 weight matrix (strides of 4 KiB), in float64 and float32.
func BenchmarkTranspose(b *testing.B) {
	for _, s := range [][2]int{{256, 512}, {512, 512}} {
		r, c := s[0], s[1]
		b.Run(fmt.Sprintf("float64/%dx%d", r, c), func(b *testing.B) {
			src, dst := make([]float64, r*c), make([]float64, r*c)
			for b.Loop() {
				Transpose(dst, src, r, c, c)
			}
			b.SetBytes(int64(16 * r * c))
		})
		b.Run(fmt.Sprintf("float32/%dx%d", r, c), func(b *testing.B) {
			src, dst := make([]float32, r*c), make([]float32, r*c)
			for b.Loop() {
				Transpose(dst, src, r, c, c)
			}
			b.SetBytes(int64(8 * r * c))
		})
	}
}
