package spline

import (
	"math/rand"
	"testing"
)

// BenchmarkElement: one value through an 8-bin spline (the knots built each time, as the ops do).
func BenchmarkElement(b *testing.B) {
	s := Spline{Bins: 8, Bound: 3}
	u := randomParams(8, rand.New(rand.NewSource(1)))
	gu := make([]float64, len(u))
	var sc Scratch
	b.Run("forward", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			s.Forward(0.3, u, 1, &sc)
		}
	})
	b.Run("backward", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			s.Backward(0.3, u, 1, 1, 1, gu, &sc)
		}
	})
	b.Run("inverse", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			s.Inverse(0.3, u, 1, &sc)
		}
	})
}
