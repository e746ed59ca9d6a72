package vmath

import (
	"math"
	"math/rand"
	"testing"
)

// SumSquares gives the bits of sumSquares16 and the tail added one by one (the order it states),
// with float64 and float32 values, at every length 0–40 and on 10,000 values of mixed scale; and it
// is Σ x² to within rounding.
func TestSumSquares(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	for _, n := range append([]int{10000, 10007}, seq(41)...) {
		x, x32 := make([]float64, n), make([]float32, n)
		for i := range x {
			x[i] = rng.NormFloat64() * math.Pow(10, float64(rng.Intn(7)-3))
			x32[i] = float32(x[i])
		}
		for _, c := range []struct {
			name      string
			got, want float64
		}{
			{"float64", SumSquares(x), ordered(x)},
			{"float32", SumSquares(x32), ordered(x32)},
		} {
			if math.Float64bits(c.got) != math.Float64bits(c.want) {
				t.Fatalf("%s, n=%d: %v, want %v (the stated order)", c.name, n, c.got, c.want)
			}
		}
		plain := 0.0
		for _, v := range x {
			plain += v * v
		}
		if got := SumSquares(x); math.Abs(got-plain) > 1e-13*plain {
			t.Fatalf("n=%d: %v, want Σx² = %v", n, got, plain)
		}
	}
	if s := SumSquares([]float64{math.Inf(-1)}); !math.IsInf(s, 1) {
		t.Fatalf("SumSquares(-Inf) = %v", s)
	}
	x := make([]float64, 32)
	x[20] = math.NaN()
	if s := SumSquares(x); !math.IsNaN(s) {
		t.Fatalf("SumSquares with a NaN = %v", s)
	}
}

// ordered is SumSquares' order written out for the test: sixteen sums, pairwise, then the tail.
func ordered[T ~float32 | ~float64](x []T) float64 {
	n := len(x) &^ 15
	s := sumSquares16(x[:n])
	for _, v := range x[n:] {
		s += float64(float64(v) * float64(v))
	}
	return s
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// BenchmarkSumSquares: 65,536 values in the caches, against one running sum.
func BenchmarkSumSquares(b *testing.B) {
	x := make([]float32, 1<<16)
	for i := range x {
		x[i] = float32(i%7) * 0.01
	}
	var sink float64
	b.Run("vmath/float32", func(b *testing.B) {
		for b.Loop() {
			sink += SumSquares(x)
		}
	})
	b.Run("scalar/float32", func(b *testing.B) {
		for b.Loop() {
			s := 0.0
			for _, v := range x {
				s += float64(v) * float64(v)
			}
			sink += s
		}
	})
	_ = sink
}
