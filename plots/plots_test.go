package plots

import (
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg/draw"
)

// gaussLogProb is log N(x; 0, I) per row, with a NaN and an -Inf region to exercise the
// non-finite handling.
func gaussLogProb(x *mat.Dense) []float64 {
	n, _ := x.Dims()
	lp := make([]float64, n)
	for i := range lp {
		a, b := x.At(i, 0), x.At(i, 1)
		switch {
		case a > 3:
			lp[i] = math.NaN()
		case b > 3:
			lp[i] = math.Inf(-1)
		case a < -3.5:
			lp[i] = math.Inf(1)
		default:
			lp[i] = -0.5*(a*a+b*b) - math.Log(2*math.Pi)
		}
	}
	return lp
}

// savePNG saves ps and decodes the file, checking its size.
func savePNG(t *testing.T, cols, tile int, wantW, wantH int, ps ...*plot.Plot) image.Image {
	t.Helper()
	path := filepath.Join(t.TempDir(), "out.png")
	if err := SavePNG(path, cols, tile, ps...); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("not a valid PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != wantW || b.Dy() != wantH {
		t.Fatalf("image is %v, want %d×%d", b, wantW, wantH)
	}
	return img
}

func TestDensity2D(t *testing.T) {
	p, err := Density2D(gaussLogProb, [4]float64{-4, 4, -4, 4}, 50, "N(0, I)")
	if err != nil {
		t.Fatal(err)
	}
	savePNG(t, 1, 300, 300, 300, p)

	bad := []struct {
		bounds [4]float64
		grid   int
		logp   func(*mat.Dense) []float64
		want   string
	}{
		{[4]float64{4, -4, -4, 4}, 10, gaussLogProb, "xmin < xmax"},
		{[4]float64{-4, 4, 1, 1}, 10, gaussLogProb, "xmin < xmax"},
		{[4]float64{-4, math.Inf(1), -4, 4}, 10, gaussLogProb, "not finite"},
		{[4]float64{-4, 4, -4, 4}, 1, gaussLogProb, "grid 1"},
		{[4]float64{-4, 4, -4, 4}, 10, func(*mat.Dense) []float64 { return make([]float64, 3) }, "3 values for 100"},
		{[4]float64{-4, 4, -4, 4}, 10, nil, "nil"},
	}
	for _, c := range bad {
		if _, err := Density2D(c.logp, c.bounds, c.grid, ""); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Density2D(%v, %d): error %v, want one containing %q", c.bounds, c.grid, err, c.want)
		}
	}
}

func TestDensities(t *testing.T) {
	got := densities([]float64{math.NaN(), math.Inf(-1), math.Inf(1), 1000, 1000 - math.Log(2), -1e6})
	want := []float64{0, 0, 0, 1, 0.5, 0}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-12 {
			t.Errorf("densities[%d] = %v, want %v", i, got[i], want[i])
		}
	}
	for i, v := range densities([]float64{math.Inf(-1), math.NaN()}) {
		if v != 0 {
			t.Errorf("all non-finite: densities[%d] = %v, want 0", i, v)
		}
	}
}

func TestScatter(t *testing.T) {
	x := mat.NewDense(4, 2, []float64{0, 0, 1, 1, -1, 2, math.NaN(), 0})
	p, err := Scatter(x, "points")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(p.Title.Text, "1 non-finite") {
		t.Errorf("title %q does not mention the left-out point", p.Title.Text)
	}
	savePNG(t, 2, 200, 200, 200, p)

	if _, err := Scatter(mat.NewDense(2, 3, nil), ""); err == nil {
		t.Error("Scatter accepted 3 columns")
	}
	if _, err := Scatter(mat.NewDense(1, 2, []float64{math.Inf(1), 0}), ""); err == nil {
		t.Error("Scatter accepted no finite point")
	}
	if _, err := Scatter(&mat.Dense{}, ""); err == nil {
		t.Error("Scatter accepted an empty matrix")
	}
}

func dark(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return r+g+b < 3*0x4000
}

func TestMatrix(t *testing.T) {
	// Only entry (0, 0) is set: with row 0 at the top it must be the top-left cell.
	p, err := Matrix(mat.NewDense(2, 2, []float64{1, 0, 0, 0}), "pattern")
	if err != nil {
		t.Fatal(err)
	}
	if p.X.Label.Text != "input j" || p.Y.Label.Text != "output i" {
		t.Errorf("axis labels %q, %q", p.X.Label.Text, p.Y.Label.Text)
	}
	img := savePNG(t, 1, 400, 400, 400, p)
	if c := img.At(140, 120); !dark(c) {
		t.Errorf("top-left cell is %v, want dark", c)
	}
	for _, pt := range [][2]int{{310, 120}, {140, 270}, {310, 270}} {
		if c := img.At(pt[0], pt[1]); dark(c) {
			t.Errorf("pixel %v is %v, want light", pt, c)
		}
	}

	if _, err := Matrix(mat.NewDense(2, 3, nil), ""); err == nil || !strings.Contains(err.Error(), "square") {
		t.Errorf("non-square matrix: error %v", err)
	}
	if _, err := Matrix(mat.NewDense(1, 1, []float64{math.Inf(1)}), ""); err == nil {
		t.Error("Matrix accepted an infinite entry")
	}
	big := mat.NewDense(37, 37, nil)
	for i := 0; i < 37; i++ {
		for j := 0; j <= i; j++ {
			big.Set(i, j, 1)
		}
	}
	if p, err = Matrix(big, "lower triangular"); err != nil {
		t.Fatal(err)
	}
	if n := len(p.Y.Tick.Marker.Ticks(0, 36)); n > 11 {
		t.Errorf("%d tick labels for D = 37", n)
	}
	savePNG(t, 1, 150, 150, 150, p)
}

func TestSavePNGGrid(t *testing.T) {
	ps := make([]*plot.Plot, 5)
	for i := range ps {
		ps[i] = plot.New()
	}
	ps[3] = nil // an empty tile
	savePNG(t, 3, 100, 300, 200, ps...)
	savePNG(t, 10, 50, 250, 50, ps...) // more columns than plots
}

func TestSavePNGErrors(t *testing.T) {
	dir := t.TempDir()
	p := plot.New()
	missing := filepath.Join(dir, "missing", "x.png")
	if err := SavePNG(missing, 1, 100, p); err == nil {
		t.Error("SavePNG into a missing directory succeeded")
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Errorf("stat %s: %v, want not exist", missing, err)
	}
	if err := SavePNG(filepath.Join(dir, "a.png"), 0, 100, p); err == nil {
		t.Error("SavePNG accepted 0 columns")
	}
	if err := SavePNG(filepath.Join(dir, "a.png"), 1, 0, p); err == nil {
		t.Error("SavePNG accepted 0-pixel tiles")
	}
	if err := SavePNG(filepath.Join(dir, "a.png"), 1, 100); err == nil {
		t.Error("SavePNG accepted no plots")
	}

	// A plotter that panics: the existing file stays as it was and no temporary file remains.
	path := filepath.Join(dir, "keep.png")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := plot.New()
	bad.Add(panicker{})
	if err := SavePNG(path, 1, 100, bad); err == nil || !strings.Contains(err.Error(), "boom") {
		t.Errorf("panicking plotter: error %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Errorf("file changed to %q", b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("directory holds %v, want only keep.png", names)
	}
}

type panicker struct{}

func (panicker) Plot(draw.Canvas, *plot.Plot) { panic("boom") }
