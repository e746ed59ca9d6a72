package vmath

// SumSquares returns Σ x[i]² in float64, in a fixed order that does not depend on the CPU: sixteen
// running sums (x[i] goes to sum i mod 16, each square and each addition rounded on its own), added
// pairwise ((s_j + s_{4+j}) + (s_{8+j} + s_{12+j}) for j < 4, then (t₀ + t₂) + (t₁ + t₃)), then the
// last len(x) mod 16 squares one by one. Sixteen sums keep four AVX2 adders busy where one running
// sum waits for each addition (trainer's gradient norm was 3% of a step that way).
func SumSquares[T ~float32 | ~float64](x []T) float64 {
	n := len(x) &^ 15
	s, done := 0.0, false
	if hasAsm && n > 0 {
		switch xs := any(x).(type) {
		case []float64:
			s, done = sumSquaresAVX2(&xs[0], n), true
		case []float32:
			s, done = sumSquares32AVX2(&xs[0], n), true
		}
	}
	if !done {
		s = sumSquares16(x[:n])
	}
	for _, v := range x[n:] {
		s += float64(float64(v) * float64(v))
	}
	return s
}

// sumSquares16 is SumSquares' sixteen sums and their pairwise total, for len(x) a multiple of 16.
func sumSquares16[T ~float32 | ~float64](x []T) float64 {
	var a [16]float64
	for i := 0; i < len(x); i += 16 {
		for j, v := range x[i : i+16] {
			a[j] += float64(float64(v) * float64(v))
		}
	}
	var t [4]float64
	for j := range t {
		t[j] = (a[j] + a[4+j]) + (a[8+j] + a[12+j])
	}
	return (t[0] + t[2]) + (t[1] + t[3])
}
