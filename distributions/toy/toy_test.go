package toy

import (
	"math"
	"math/rand"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

func colStats(x *mat.Dense, j int) (mean, std float64) {
	col := mat.Col(nil, j, x)
	return stat.MeanStdDev(col, nil)
}

func TestShapesAndDeterminism(t *testing.T) {
	for _, tg := range Targets() {
		for _, n := range []int{1, 2, 3, 4, 5, 7, 200} {
			a := tg.Sample(n, rand.New(rand.NewSource(42)))
			r, c := a.Dims()
			if r != n || c != 2 {
				t.Fatalf("%s: n=%d gave %d×%d", tg.Name, n, r, c)
			}
			for i := 0; i < n; i++ {
				if math.IsNaN(a.At(i, 0)) || math.IsInf(a.At(i, 0), 0) ||
					math.IsNaN(a.At(i, 1)) || math.IsInf(a.At(i, 1), 0) {
					t.Fatalf("%s: non-finite row %d", tg.Name, i)
				}
			}
			b := tg.Sample(n, rand.New(rand.NewSource(42)))
			if !mat.Equal(a, b) {
				t.Fatalf("%s: same seed gave different samples (n=%d)", tg.Name, n)
			}
		}
		a := tg.Sample(100, rand.New(rand.NewSource(1)))
		b := tg.Sample(100, rand.New(rand.NewSource(2)))
		if mat.Equal(a, b) {
			t.Fatalf("%s: different seeds gave identical samples", tg.Name)
		}
	}
}

func TestMoments(t *testing.T) {
	// Expected mean/std per coordinate from the documented constructions, n = 50000.
	cases := []struct {
		name         string
		mean, std    [2]float64
		tolM, tolStd float64
	}{
		{NameMoons, [2]float64{0, 0.3}, [2]float64{1.744, 1.009}, 0.03, 0.03},
		{NameEightGauss, [2]float64{0, 0}, [2]float64{2.031, 2.031}, 0.05, 0.03},
		{NameCheckerboard, [2]float64{0, 0}, [2]float64{2.309, 2.309}, 0.05, 0.03},
		{NameRings, [2]float64{0, 0}, [2]float64{1.455, 1.455}, 0.03, 0.03},
		{NameSpirals, [2]float64{0, 0}, [2]float64{1.6, 1.59}, 0.05, 0.05},
	}
	for _, c := range cases {
		tg, err := ByName(c.name)
		if err != nil {
			t.Fatal(err)
		}
		x := tg.Sample(50000, rand.New(rand.NewSource(7)))
		for j := 0; j < 2; j++ {
			m, s := colStats(x, j)
			if math.Abs(m-c.mean[j]) > c.tolM {
				t.Errorf("%s: mean[%d] = %.4f, want %.3f±%.3f", c.name, j, m, c.mean[j], c.tolM)
			}
			if math.Abs(s-c.std[j]) > c.tolStd {
				t.Errorf("%s: std[%d] = %.4f, want %.3f±%.3f", c.name, j, s, c.std[j], c.tolStd)
			}
		}
	}
}

func TestTargetsAndByName(t *testing.T) {
	want := []string{"moons", "8gaussians", "checkerboard", "rings", "spirals"}
	ts := Targets()
	if len(ts) != len(want) {
		t.Fatalf("got %d targets", len(ts))
	}
	for i, tg := range ts {
		if tg.Name != want[i] || tg.Sample == nil {
			t.Fatalf("target %d = %q (sampler nil: %v), want %q", i, tg.Name, tg.Sample == nil, want[i])
		}
		got, err := ByName(want[i])
		if err != nil || got.Name != want[i] {
			t.Fatalf("ByName(%q) = %q, %v", want[i], got.Name, err)
		}
		hasLP := want[i] == "8gaussians" || want[i] == "checkerboard"
		if (tg.LogProb != nil) != hasLP {
			t.Fatalf("%s: LogProb set = %v, want %v", tg.Name, tg.LogProb != nil, hasLP)
		}
	}
	_, err := ByName("swissroll")
	if err == nil {
		t.Fatal("ByName(swissroll): no error")
	}
	const msg = `toy: unknown target "swissroll" (known: moons, 8gaussians, checkerboard, rings, spirals)`
	if err.Error() != msg {
		t.Fatalf("error = %q, want %q", err, msg)
	}
	if _, err := ByName("Moons"); err == nil || !strings.Contains(err.Error(), `"Moons"`) {
		t.Fatalf("ByName is case-sensitive; got %v", err)
	}
}

func TestPanics(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for _, tg := range Targets() {
		for _, f := range []func(){
			func() { tg.Sample(0, rng) },
			func() { tg.Sample(-3, rng) },
			func() { tg.Sample(5, nil) },
		} {
			func() {
				defer func() {
					if recover() == nil {
						t.Errorf("%s: expected panic", tg.Name)
					}
				}()
				f()
			}()
		}
	}
	for _, lp := range []func(*mat.Dense) []float64{EightGaussiansLogProb, CheckerboardLogProb} {
		func() {
			defer func() {
				if recover() == nil {
					t.Error("LogProb on 2×3 input: expected panic")
				}
			}()
			lp(mat.NewDense(2, 3, nil))
		}()
	}
}

// gridPoints returns the midpoints of an m×m grid on [lo, hi]² and the cell area.
func gridPoints(lo, hi float64, m int) (*mat.Dense, float64) {
	h := (hi - lo) / float64(m)
	x := mat.NewDense(m*m, 2, nil)
	for i := 0; i < m; i++ {
		for j := 0; j < m; j++ {
			x.Set(i*m+j, 0, lo+(float64(i)+0.5)*h)
			x.Set(i*m+j, 1, lo+(float64(j)+0.5)*h)
		}
	}
	return x, h * h
}

func TestLogProbIntegratesToOne(t *testing.T) {
	for _, c := range []struct {
		name string
		lp   func(*mat.Dense) []float64
		H    float64
	}{
		{"8gaussians", EightGaussiansLogProb, EightGaussiansEntropy},
		{"checkerboard", CheckerboardLogProb, CheckerboardEntropy},
	} {
		x, dA := gridPoints(-6, 6, 600)
		var z, h float64
		for _, l := range c.lp(x) {
			if math.IsInf(l, -1) {
				continue
			}
			p := math.Exp(l)
			z += p * dA
			h -= p * l * dA
		}
		if math.Abs(z-1) > 1e-6 {
			t.Errorf("%s: ∫p = %.9f, want 1", c.name, z)
		}
		if math.Abs(h-c.H) > 1e-6 {
			t.Errorf("%s: −∫p log p = %.9f, want %.9f", c.name, h, c.H)
		}
	}
}

func TestEntropyMonteCarlo(t *testing.T) {
	if math.Abs(CheckerboardEntropy-math.Log(32)) > 1e-15 {
		t.Fatalf("CheckerboardEntropy = %v, want log 32", CheckerboardEntropy)
	}
	rng := rand.New(rand.NewSource(3))
	for _, c := range []struct {
		name   string
		sample func(int, *rand.Rand) *mat.Dense
		lp     func(*mat.Dense) []float64
		H      float64
	}{
		{"8gaussians", EightGaussians, EightGaussiansLogProb, EightGaussiansEntropy},
		{"checkerboard", Checkerboard, CheckerboardLogProb, CheckerboardEntropy},
	} {
		const n = 100000
		lps := c.lp(c.sample(n, rng))
		nll := 0.0
		for _, l := range lps {
			nll -= l
		}
		nll /= n
		// Std of −log p for 8gaussians is ≈1, so the MC error is ≈0.003.
		if math.Abs(nll-c.H) > 0.015 {
			t.Errorf("%s: MC entropy %.4f, want %.4f", c.name, nll, c.H)
		}
	}
}

func TestShuffleRows(t *testing.T) {
	x := mat.NewDense(50, 2, nil)
	for i := 0; i < 50; i++ {
		x.Set(i, 0, float64(i))
		x.Set(i, 1, float64(-i))
	}
	shuffleRows(x, rand.New(rand.NewSource(1)))
	seen := make(map[float64]bool)
	moved := false
	for i := 0; i < 50; i++ {
		a, b := x.At(i, 0), x.At(i, 1)
		if a != -b || seen[a] {
			t.Fatalf("row %d = (%g, %g) broken by shuffle", i, a, b)
		}
		seen[a] = true
		moved = moved || a != float64(i)
	}
	if !moved {
		t.Fatal("shuffle did not move any row")
	}
}
