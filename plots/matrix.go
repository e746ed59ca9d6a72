package plots

import (
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
)

// Matrix draws a square D×D matrix as a heat map in reading order: row 0 at the top, column 0 on
// the left, so that for a layer's dependency matrix (layers.Layer.Pattern) the cell in row i,
// column j says whether output i depends on input j. The axes are labelled "input j" and
// "output i". The colour scale runs from white at 0 to black at 1 (widened to the matrix's range
// when values fall outside [0, 1]); NaN cells are drawn in red.
func Matrix(m mat.Matrix, title string) (*plot.Plot, error) {
	if m == nil {
		return nil, fmt.Errorf("plots: Matrix: nil matrix")
	}
	r, c := m.Dims()
	if r != c {
		return nil, fmt.Errorf("plots: Matrix: matrix is %d×%d, want square", r, c)
	}
	if r == 0 {
		return nil, fmt.Errorf("plots: Matrix: empty matrix")
	}
	lo, hi := 0.0, 1.0
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			v := m.At(i, j)
			if math.IsInf(v, 0) {
				return nil, fmt.Errorf("plots: Matrix: entry (%d, %d) is %v", i, j, v)
			}
			if !math.IsNaN(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	h := plotter.NewHeatMap(matrixGrid{m: m, d: r}, palette.Reverse(moreland.BlackBody()).Palette(DensityPalette))
	h.Min, h.Max = lo, hi
	h.NaN = nanColor
	p := plot.New()
	p.Title.Text = title
	p.Add(h)
	p.X.Label.Text = "input j"
	p.Y.Label.Text = "output i"
	p.X.Padding, p.Y.Padding = 0, 0
	p.X.Tick.Marker = indexTicks{d: r}
	p.Y.Tick.Marker = indexTicks{d: r, flip: true}
	return p, nil
}

var nanColor = color.RGBA{R: 220, A: 255}

// matrixGrid shows m with row 0 at the top: grid row k (y = k, counted upwards) is matrix row
// d-1-k.
type matrixGrid struct {
	m mat.Matrix
	d int
}

func (g matrixGrid) Dims() (c, r int)   { return g.d, g.d }
func (g matrixGrid) Z(c, r int) float64 { return g.m.At(g.d-1-r, c) }
func (g matrixGrid) X(c int) float64    { return float64(c) }
func (g matrixGrid) Y(r int) float64    { return float64(r) }

// indexTicks labels at most about ten matrix indices; flip labels y = k with index d-1-k.
type indexTicks struct {
	d    int
	flip bool
}

func (t indexTicks) Ticks(_, _ float64) []plot.Tick {
	step := (t.d + 9) / 10
	var ts []plot.Tick
	for i := 0; i < t.d; i += step {
		v := float64(i)
		if t.flip {
			v = float64(t.d - 1 - i)
		}
		ts = append(ts, plot.Tick{Value: v, Label: strconv.Itoa(i)})
	}
	return ts
}
