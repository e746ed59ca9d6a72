package vmath

import (
	"fmt"
	"math"
	"math/rand"
	"testing"
)

// inputs returns values over every range the functions treat apart: tiny, the rational and
// exponential branches of tanh, ±1 saturation, exp's overflow and subnormal edges, and the
// special values, in a shuffled order (so special lanes fall in every position of a group).
func inputs(rng *rand.Rand) []float64 {
	xs := []float64{0, math.Copysign(0, -1), math.NaN(), math.Inf(1), math.Inf(-1),
		math.MaxFloat64, -math.MaxFloat64, math.SmallestNonzeroFloat64, -math.SmallestNonzeroFloat64,
		709.78, 709.7827128933840, 709.79, -708.39, -708.4, -745.13, -745.14, -1e300, 1e300,
		0.625, -0.625, math.Nextafter(0.625, 0), 44.014845965556525, 44.01484596555653, 22, -22}
	for range 20000 {
		switch rng.Intn(5) {
		case 0:
			xs = append(xs, rng.NormFloat64())
		case 1:
			xs = append(xs, (rng.Float64()*2-1)*750)
		case 2:
			xs = append(xs, (rng.Float64()*2-1)*50)
		case 3:
			xs = append(xs, math.Float64frombits(rng.Uint64())) // any bit pattern, NaNs included
		default:
			xs = append(xs, (rng.Float64()*2-1)*math.Pow(10, float64(rng.Intn(40)-30)))
		}
	}
	rng.Shuffle(len(xs), func(i, j int) { xs[i], xs[j] = xs[j], xs[i] })
	return xs
}

func same(a, b float64) bool {
	return math.Float64bits(a) == math.Float64bits(b) || (math.IsNaN(a) && math.IsNaN(b))
}

// check compares f over xs (in a fresh slice and in place) with ref bit for bit, for every
// length and offset of a window so that each group boundary and tail is met.
func check(t *testing.T, name string, f func(dst, x []float64), ref func(float64) float64, xs []float64) {
	t.Helper()
	t.Logf("assembly kernels: %v", hasAsm)
	bad := 0
	dst := make([]float64, len(xs))
	f(dst, xs)
	for i, x := range xs {
		if !same(dst[i], ref(x)) && bad < 10 {
			bad++
			t.Errorf("%s(%v) = %v (%#x), math: %v (%#x)", name, x, dst[i], math.Float64bits(dst[i]), ref(x), math.Float64bits(ref(x)))
		}
	}
	for n := 0; n <= 13; n++ {
		for off := 0; off < 5; off++ {
			w := append([]float64(nil), xs[off*97:off*97+n]...)
			f(w, w) // in place
			for i, x := range xs[off*97 : off*97+n] {
				if !same(w[i], ref(x)) && bad < 10 {
					bad++
					t.Errorf("in place, n=%d: %s(%v) = %v, math: %v", n, name, x, w[i], ref(x))
				}
			}
		}
	}
}

func TestExp(t *testing.T) {
	check(t, "Exp", Exp, math.Exp, inputs(rand.New(rand.NewSource(1))))
}

func TestTanh(t *testing.T) {
	check(t, "Tanh", Tanh, math.Tanh, inputs(rand.New(rand.NewSource(2))))
}

func relu(x float64) float64 {
	if x > 0 || math.IsNaN(x) {
		return x
	}
	return 0
}

func TestReLU(t *testing.T) {
	check(t, "ReLU", ReLU[float64], relu, inputs(rand.New(rand.NewSource(4))))
}

// reluGrad is graph.ReLUGradValue's rule: g when a > 0, +0 when a <= 0, a when NaN.
func reluGrad(a, g float64) float64 {
	switch {
	case a > 0:
		return g
	case a <= 0:
		return 0
	}
	return a
}

// TestReLUGrad checks ReLUGrad against the rule, in float64 and float32, on every length up to
// 40 (the kernels take 8 or 16 values at a time) and offset.
func TestReLUGrad(t *testing.T) { // and ReLUGradTo
	rng := rand.New(rand.NewSource(5))
	as := inputs(rng)
	gs := make([]float64, len(as))
	for i := range gs {
		gs[i] = rng.NormFloat64()
	}
	for n := 0; n <= 41; n++ {
		for off := 0; off < 3; off++ {
			lo, hi := off*131, off*131+n
			if n == 41 { // all of them: the special values too
				lo, hi = 0, len(as)
			}
			a, g := as[lo:hi], append([]float64(nil), gs[lo:hi]...)
			a32, g32 := make([]float32, len(a)), make([]float32, len(a))
			for i := range a {
				a32[i], g32[i] = float32(a[i]), float32(g[i])
			}
			// out of place first: dst gets what ReLUGrad puts in g, and g is left as it was
			dst, dst32 := make([]float64, len(a)), make([]float32, len(a))
			ReLUGradTo(dst, g, a)
			ReLUGradTo(dst32, g32, a32)
			for i := range a {
				if g[i] != gs[lo+i] || g32[i] != float32(gs[lo+i]) {
					t.Fatalf("n=%d: ReLUGradTo wrote its gradient operand", n)
				}
			}
			ReLUGrad(g, a)
			ReLUGrad(g32, a32)
			for i := range a {
				if !same(dst[i], g[i]) || !same(float64(dst32[i]), float64(g32[i])) {
					t.Fatalf("n=%d: ReLUGradTo at a=%v: %v / %v, ReLUGrad %v / %v", n, a[i], dst[i], dst32[i], g[i], g32[i])
				}
				if want := reluGrad(a[i], gs[lo+i]); !same(g[i], want) {
					t.Fatalf("n=%d: ReLUGrad at a=%v, g=%v: %v, want %v", n, a[i], gs[lo+i], g[i], want)
				}
				want := float32(reluGrad(float64(a32[i]), float64(float32(gs[lo+i]))))
				if math.Float32bits(g32[i]) != math.Float32bits(want) && !(math.IsNaN(float64(want)) && math.IsNaN(float64(g32[i]))) {
					t.Fatalf("n=%d: float32 ReLUGrad at a=%v: %v, want %v", n, a32[i], g32[i], want)
				}
			}
		}
	}
}

// TestReLU32 checks the float32 ReLU bit for bit (+0 for −0, NaN kept).
func TestReLU32(t *testing.T) {
	xs := inputs(rand.New(rand.NewSource(6)))
	for n := 0; n <= 40; n++ {
		x := make([]float32, n)
		for i := range x {
			x[i] = float32(xs[i])
		}
		dst := make([]float32, n)
		ReLU(dst, x)
		for i, v := range x {
			want := float32(relu(float64(v)))
			if math.Float32bits(dst[i]) != math.Float32bits(want) && !(math.IsNaN(float64(v)) && math.IsNaN(float64(dst[i]))) {
				t.Fatalf("n=%d: ReLU(%v) = %v, want %v", n, v, dst[i], want)
			}
		}
	}
}

// TestExpSpecialGroups puts one special lane in each position of a group of four between normal
// groups: the kernel stops there, math.Exp takes the group, and the kernel goes on after it.
func TestExpSpecialGroups(t *testing.T) {
	for _, s := range []float64{math.NaN(), math.Inf(1), math.Inf(-1), 710, -720, -1e10} {
		for pos := range 12 {
			xs := make([]float64, 12)
			for i := range xs {
				xs[i] = float64(i) / 7
			}
			xs[pos] = s
			dst := make([]float64, len(xs))
			Exp(dst, xs)
			for i, x := range xs {
				if !same(dst[i], math.Exp(x)) {
					t.Errorf("special %v at %d: Exp(%v) = %v, math: %v", s, pos, x, dst[i], math.Exp(x))
				}
			}
		}
	}
}

func TestShortDst(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Exp with a short dst did not panic")
		}
	}()
	Exp(make([]float64, 3), make([]float64, 4))
}

func ExampleExp() {
	x := []float64{-1, 0, 0.5, 1, 2}
	Exp(x, x)
	fmt.Printf("%.6f\n", x)
	// Output: [0.367879 1.000000 1.648721 2.718282 7.389056]
}

func ExampleTanh() {
	x := []float64{-20, -0.5, 0, 0.5, 20}
	Tanh(x, x)
	fmt.Printf("%.6f\n", x)
	// Output: [-1.000000 -0.462117 0.000000 0.462117 1.000000]
}

func benchInputs() []float64 {
	rng := rand.New(rand.NewSource(3))
	xs := make([]float64, 1024)
	for i := range xs {
		xs[i] = 2 * rng.NormFloat64()
	}
	return xs
}

func BenchmarkExp(b *testing.B) {
	xs, dst := benchInputs(), make([]float64, 1024)
	b.Run("vmath", func(b *testing.B) {
		for b.Loop() {
			Exp(dst, xs)
		}
		b.ReportMetric(float64(b.N*len(xs))/b.Elapsed().Seconds(), "values/s")
	})
	b.Run("math", func(b *testing.B) {
		for b.Loop() {
			for i, x := range xs {
				dst[i] = math.Exp(x)
			}
		}
		b.ReportMetric(float64(b.N*len(xs))/b.Elapsed().Seconds(), "values/s")
	})
}

func BenchmarkReLU(b *testing.B) {
	xs, dst := benchInputs(), make([]float64, 1024)
	b.Run("vmath", func(b *testing.B) {
		for b.Loop() {
			ReLU(dst, xs)
		}
		b.ReportMetric(float64(b.N*len(xs))/b.Elapsed().Seconds(), "values/s")
	})
	b.Run("scalar", func(b *testing.B) {
		for b.Loop() {
			for i, x := range xs {
				dst[i] = relu(x)
			}
		}
		b.ReportMetric(float64(b.N*len(xs))/b.Elapsed().Seconds(), "values/s")
	})
}

func BenchmarkTanh(b *testing.B) {
	xs, dst := benchInputs(), make([]float64, 1024)
	b.Run("vmath", func(b *testing.B) {
		for b.Loop() {
			Tanh(dst, xs)
		}
		b.ReportMetric(float64(b.N*len(xs))/b.Elapsed().Seconds(), "values/s")
	})
	b.Run("math", func(b *testing.B) {
		for b.Loop() {
			for i, x := range xs {
				dst[i] = math.Tanh(x)
			}
		}
		b.ReportMetric(float64(b.N*len(xs))/b.Elapsed().Seconds(), "values/s")
	})
}

// Add gives the loop's sums, with float64 and float32 values, at every length 0–70 (the sixteen-
// or thirty-two-wide steps, the vectors after them and the tail), dst after x's end untouched.
func TestAdd(t *testing.T) {
	rng := rand.New(rand.NewSource(8))
	for n := 0; n <= 70; n++ {
		x, d := make([]float64, n), make([]float64, n+3)
		for i := range x {
			x[i] = rng.NormFloat64()
		}
		for i := range d {
			d[i] = rng.NormFloat64()
		}
		x32, d32 := toF32(x), toF32(d)
		want, want32 := append([]float64(nil), d...), append([]float32(nil), d32...)
		for i := range x {
			want[i] += x[i]
			want32[i] += x32[i]
		}
		Add(d, x)
		Add(d32, x32)
		for i := range d {
			if d[i] != want[i] || d32[i] != want32[i] {
				t.Fatalf("n=%d: dst[%d] = %v / %v, want %v / %v", n, i, d[i], d32[i], want[i], want32[i])
			}
		}
	}
}

func toF32(x []float64) []float32 {
	y := make([]float32, len(x))
	for i, v := range x {
		y[i] = float32(v)
	}
	return y
}

// AddRows is Add row after row, for row lengths 1–37 and 0–5 rows.
func TestAddRows(t *testing.T) {
	rng := rand.New(rand.NewSource(9))
	for m := 1; m <= 37; m++ {
		for rows := 0; rows <= 5; rows++ {
			x, d := make([]float64, m*rows), make([]float64, m)
			for i := range x {
				x[i] = rng.NormFloat64()
			}
			for i := range d {
				d[i] = rng.NormFloat64()
			}
			want := append([]float64(nil), d...)
			for r := 0; r < rows; r++ {
				for j := range want {
					want[j] += x[r*m+j]
				}
			}
			AddRows(d, x)
			for j := range d {
				if d[j] != want[j] {
					t.Fatalf("%d rows of %d: dst[%d] = %v, want %v", rows, m, j, d[j], want[j])
				}
			}
		}
	}
}

// AddBias gives the bits of adding b row by row and then ReLU (+0 for x ≤ 0, NaN kept), with
// zeros of both signs, NaN and ±Inf among the values, for widths 1–13, 16, 17 and 128, 0–4 rows,
// and rows contiguous or strided (the values between rows untouched), in both types.
func TestAddBias(t *testing.T) {
	t.Run("float64", testAddBias[float64])
	t.Run("float32", testAddBias[float32])
}

func testAddBias[T float](t *testing.T) {
	rng := rand.New(rand.NewSource(10))
	special := []float64{0, math.Copysign(0, -1), math.NaN(), math.Inf(1), math.Inf(-1)}
	draw := func() T {
		if rng.Intn(6) == 0 {
			return T(special[rng.Intn(len(special))])
		}
		return T(rng.NormFloat64())
	}
	for _, n := range []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 16, 17, 128} {
		for rows := 0; rows <= 4; rows++ {
			for _, ld := range []int{n, n + 5} {
				for _, relu := range []bool{false, true} {
					x, b := make([]T, rows*ld), make([]T, n)
					for i := range x {
						x[i] = draw()
					}
					for i := range b {
						b[i] = draw()
					}
					want := append([]T(nil), x...)
					for i := range want {
						if i%ld >= n {
							continue
						}
						want[i] += b[i%ld]
						if relu && !(want[i] > 0) && want[i] == want[i] {
							want[i] = 0
						}
					}
					AddBias(x, rows, ld, b, relu)
					for i := range x {
						if math.Float64bits(float64(x[i])) != math.Float64bits(float64(want[i])) && !(x[i] != x[i] && want[i] != want[i]) {
							t.Fatalf("n=%d, %d rows, stride %d, relu %t: x[%d] = %v, want %v", n, rows, ld, relu, i, x[i], want[i])
						}
					}
				}
			}
		}
	}
}
