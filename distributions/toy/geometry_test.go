package toy

import (
	"math"
	"math/rand"
	"testing"
)

func TestCheckerboardSupport(t *testing.T) {
	x := Checkerboard(100000, rand.New(rand.NewSource(5)))
	var counts [4][4]int
	for i := 0; i < 100000; i++ {
		a, b := x.At(i, 0), x.At(i, 1)
		if !OnCheckerboard(a, b) {
			t.Fatalf("sample %d (%g, %g) is off the black squares", i, a, b)
		}
		counts[int(math.Floor(a/2))+2][int(math.Floor(b/2))+2]++
	}
	for i := 0; i < 4; i++ {
		for j := 0; j < 4; j++ {
			black := (i+j)%2 == 0
			frac := float64(counts[i][j]) / 100000
			if black && math.Abs(frac-0.125) > 0.01 || !black && counts[i][j] != 0 {
				t.Errorf("square (%d,%d): fraction %.4f (black=%v)", i-2, j-2, frac, black)
			}
		}
	}
	for _, p := range [][2]float64{{-4, -4}, {0, 0}, {1.9, 1.9}, {-1, -1}, {3, -1}} {
		if !OnCheckerboard(p[0], p[1]) {
			t.Errorf("(%g,%g) should be black", p[0], p[1])
		}
	}
	for _, p := range [][2]float64{{4, 4}, {-4, 4}, {1, 3}, {-3, -1}, {0, -4.5}, {math.NaN(), 0}} {
		if OnCheckerboard(p[0], p[1]) {
			t.Errorf("(%g,%g) should be outside the support", p[0], p[1])
		}
	}
}

func TestEightGaussiansModes(t *testing.T) {
	const n = 40000
	x := EightGaussians(n, rand.New(rand.NewSource(9)))
	var counts [8]int
	for i := 0; i < n; i++ {
		best, bd := 0, math.Inf(1)
		for k, c := range eightCentres {
			dx := x.At(i, 0) - EightGaussiansRadius*c[0]
			dy := x.At(i, 1) - EightGaussiansRadius*c[1]
			if d := math.Hypot(dx, dy); d < bd {
				best, bd = k, d
			}
		}
		if bd > 6*EightGaussiansStd {
			t.Fatalf("sample %d is %.3f from the nearest mode", i, bd)
		}
		counts[best]++
	}
	for k, c := range counts {
		if f := float64(c) / n; math.Abs(f-0.125) > 0.01 {
			t.Errorf("mode %d has fraction %.4f", k, f)
		}
	}
}

func TestMoonsGeometry(t *testing.T) {
	const n = 20001
	x := TwoMoons(n, rand.New(rand.NewSource(11)))
	upper := 0
	for i := 0; i < n; i++ {
		u, v := (x.At(i, 0)+1)/2, (x.At(i, 1)+0.2)/2 // undo the affine map
		dUp := math.Abs(math.Hypot(u, v) - 1)
		dLo := math.Abs(math.Hypot(u-1, v-0.5) - 1)
		if math.Min(dUp, dLo) > 0.6 {
			t.Fatalf("sample %d (%.3f, %.3f) is far from both moons", i, u, v)
		}
		if dUp < dLo {
			upper++
		}
	}
	if f := float64(upper) / n; f < 0.45 || f > 0.55 {
		t.Errorf("upper-moon fraction %.3f", f)
	}
}

func TestRingsGeometry(t *testing.T) {
	const n = 20003
	x := Rings(n, rand.New(rand.NewSource(13)))
	var counts [4]int
	for i := 0; i < n; i++ {
		r := math.Hypot(x.At(i, 0), x.At(i, 1))
		best, bd := 0, math.Inf(1)
		for k, rk := range RingRadii {
			if d := math.Abs(r - rk); d < bd {
				best, bd = k, d
			}
		}
		if bd > 0.5 {
			t.Fatalf("sample %d at radius %.3f is far from every ring", i, r)
		}
		counts[best]++
	}
	for k, c := range counts {
		if math.Abs(float64(c)/n-0.25) > 0.005 {
			t.Errorf("ring %d has %d points", k, c)
		}
	}
}

func TestSpiralsGeometry(t *testing.T) {
	const n = 20000
	x := Spirals(n, rand.New(rand.NewSource(17)))
	for i := 0; i < n; i++ {
		if r := math.Hypot(x.At(i, 0), x.At(i, 1)); r > 4 {
			t.Fatalf("sample %d at radius %.3f", i, r)
		}
	}
}
