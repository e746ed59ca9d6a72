package layers

import (
	"math"
	"math/rand"
	"testing"

	"github.com/affineflow/flow/graph"
	"github.com/affineflow/flow/masks"
	"gonum.org/v1/gonum/mat"
)

// fullPassInverse is the reference inverse: one full conditioner pass (Net.Eval) per degree.
func fullPassInverse(l *AffineInjection, y *mat.Dense) (*mat.Dense, []float64) {
	n, d := y.Dims()
	x := mat.NewDense(n, d, nil)
	logdet := make([]float64, n)
	ws := l.Net.Weights()
	for _, dims := range l.Order.Groups() {
		raw := l.Net.Eval(ws, x)
		for _, i := range dims {
			for r := 0; r < n; r++ {
				s := graph.SoftClampValue(raw.At(r, i), l.Clamp)
				x.Set(r, i, (y.At(r, i)-raw.At(r, d+i))*math.Exp(-s))
				logdet[r] += s
			}
		}
	}
	return x, logdet
}

// perturbedLayer returns a new MADE affine injection with every parameter moved by 0.1·N(0, 1).
func perturbedLayer(t *testing.T, order masks.Degrees, s AffineSettings, rng *rand.Rand) *AffineInjection {
	t.Helper()
	l, err := NewAffineInjection(order, s, rng)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range l.Params() {
		for i, d := 0, p.Data(); i < len(d); i++ {
			d[i] += 0.1 * rng.NormFloat64()
		}
		p.Touch()
	}
	return l
}

func TestIncrementalInverse(t *testing.T) {
	blocks, _ := masks.Blocks([]int{2, 3, 1, 4})
	cases := []struct {
		name  string
		order masks.Degrees
		s     AffineSettings
	}{
		{"natural", masks.Natural(8), AffineSettings{Hidden: []int{128, 128}}},
		{"reversed", masks.Reversed(12), AffineSettings{Hidden: []int{40, 96}}},
		{"random-degrees", masks.Reversed(9), AffineSettings{Hidden: []int{64, 64}, RandomDegrees: true}},
		{"residual", masks.Natural(7), AffineSettings{Hidden: []int{64, 64, 64}, Residual: true}},
		{"blocks", blocks.Reverse(), AffineSettings{Hidden: []int{72, 72}}},
		{"one-hidden", masks.Natural(5), AffineSettings{Hidden: []int{30}}},
		{"tanh", masks.Reversed(6), AffineSettings{Hidden: []int{65, 65}, Activation: Tanh}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rng := rand.New(rand.NewSource(5))
			l := perturbedLayer(t, c.order, c.s, rng)
			if _, ok := planInverse(&l.Net, l.Net.effective(), l.Order, l.Order.Groups(), 2); !ok {
				t.Fatal("MADE masks should take the incremental inverse")
			}
			y := mat.NewDense(37, len(c.order), nil)
			y.Apply(func(_, _ int, _ float64) float64 { return rng.NormFloat64() }, y)
			x, ld := l.Inverse(y)
			wx, wld := fullPassInverse(l, y)
			if !mat.EqualApprox(x, wx, 1e-11) {
				t.Errorf("incremental inverse differs from full passes:\n%v\n%v", mat.Formatted(x), mat.Formatted(wx))
			}
			for r := range ld {
				if d := ld[r] - wld[r]; d > 1e-11 || d < -1e-11 {
					t.Fatalf("row %d: log-det %g, want %g", r, ld[r], wld[r])
				}
			}
			// fewer than smallRows rows take the transposed weights (dot products)
			fy, fld := l.Transform(x)
			for _, n := range []int{1, 3} {
				xn, ldn := l.Inverse(y.Slice(0, n, 0, len(c.order)).(*mat.Dense))
				if !mat.EqualApprox(xn, wx.Slice(0, n, 0, len(c.order)), 1e-11) {
					t.Errorf("inverse of %d rows differs from full passes", n)
				}
				yn, fldn := l.Transform(xn)
				if !mat.EqualApprox(yn, fy.Slice(0, n, 0, len(c.order)), 1e-11) {
					t.Errorf("transform of %d rows differs from that of %d rows", n, len(ld))
				}
				for r := 0; r < n; r++ {
					if math.Abs(ldn[r]-wld[r]) > 1e-11 || math.Abs(fldn[r]-fld[r]) > 1e-11 {
						t.Fatalf("%d rows, row %d: log-dets %g, %g, want %g, %g", n, r, ldn[r], fldn[r], wld[r], fld[r])
					}
				}
			}
		})
	}
}

// TestInverseFallback: hidden units in no particular degree order take the full-pass inverse,
// which must still invert Transform.
func TestInverseFallback(t *testing.T) {
	rng := rand.New(rand.NewSource(9))
	l, err := NewAffineInjection(masks.Natural(6), AffineSettings{Hidden: []int{20, 20}}, rng)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range l.Params() {
		for i, d := 0, p.Data(); i < len(d); i++ {
			d[i] += 0.1 * rng.NormFloat64()
		}
	}
	// reverse the units of the first hidden layer: columns of map 0, rows of map 1
	d0, d1 := l.Net.Layers[0], l.Net.Layers[1]
	h := 20
	for u := 0; u < h/2; u++ {
		v := h - 1 - u
		for i := 0; i < 6; i++ {
			w := d0.W.Mat()
			a, b := w.At(i, u), w.At(i, v)
			w.Set(i, u, b)
			w.Set(i, v, a)
			a, b = d0.Mask.At(i, u), d0.Mask.At(i, v)
			d0.Mask.Set(i, u, b)
			d0.Mask.Set(i, v, a)
		}
		b0 := d0.B.Data()
		b0[u], b0[v] = b0[v], b0[u]
		for j := 0; j < h; j++ {
			w := d1.W.Mat()
			a, b := w.At(u, j), w.At(v, j)
			w.Set(u, j, b)
			w.Set(v, j, a)
			a, b = d1.Mask.At(u, j), d1.Mask.At(v, j)
			d1.Mask.Set(u, j, b)
			d1.Mask.Set(v, j, a)
		}
	}
	if _, ok := planInverse(&l.Net, l.Net.effective(), l.Order, l.Order.Groups(), 2); ok {
		t.Fatal("unsorted hidden degrees should not take the incremental inverse")
	}
	x := mat.NewDense(11, 6, nil)
	x.Apply(func(_, _ int, _ float64) float64 { return rng.NormFloat64() }, x)
	y, ld := l.Transform(x)
	back, ldi := l.Inverse(y)
	if !mat.EqualApprox(x, back, 1e-10) {
		t.Fatalf("round trip:\n%v\n%v", mat.Formatted(x), mat.Formatted(back))
	}
	for r := range ld {
		if math.Abs(ld[r]-ldi[r]) > 1e-10 {
			t.Fatalf("row %d: log-det %g vs %g", r, ld[r], ldi[r])
		}
	}
}

// TestEffectiveForward: the numeric conditioner pass (effNet.forward: staircase GEMMs) equals
// Net.Eval's plain products, on batches through the staircases and under smallRows (chunks), for
// MADEs whose maps all take staircases.
func TestEffectiveForward(t *testing.T) {
	cases := []struct {
		name  string
		order masks.Degrees
		s     AffineSettings
	}{
		{"natural-8", masks.Natural(8), AffineSettings{Hidden: []int{128, 128}}},
		{"reversed-12", masks.Reversed(12), AffineSettings{Hidden: []int{40, 96}}},
		{"residual", masks.Natural(7), AffineSettings{Hidden: []int{64, 64, 64}, Residual: true}},
		{"tanh", masks.Reversed(6), AffineSettings{Hidden: []int{65, 65}, Activation: Tanh}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rng := rand.New(rand.NewSource(6))
			l := perturbedLayer(t, c.order, c.s, rng)
			e := l.Net.effective()
			for _, st := range e.stairs {
				if st == nil {
					t.Fatal("a MADE map without a staircase")
				}
			}
			d := len(c.order)
			for _, n := range []int{3, 37, 300} {
				x := mat.NewDense(n, d, nil)
				for i := range x.RawMatrix().Data {
					x.RawMatrix().Data[i] = rng.NormFloat64()
				}
				want := l.Net.Eval(l.Net.Weights(), x)
				a := getArena()
				got := e.forward(x.RawMatrix(), a)
				for r := 0; r < n; r++ {
					for j := 0; j < got.Cols; j++ {
						if w, g := want.At(r, j), got.Data[r*got.Stride+j]; math.Abs(w-g) > 1e-12*math.Max(1, math.Abs(w)) {
							t.Fatalf("n=%d: raw (%d, %d) = %g, want %g", n, r, j, g, w)
						}
					}
				}
				putArena(a)
			}
		})
	}
}
