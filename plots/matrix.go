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
	"gonum.org/v1/plot/vg/draw"
)

// Matrix draws a square D×D matrix as a heat map in reading order: row 0 at the top, column 0 on
// the left, so that for a layer's dependency matrix (layers.Layer.Pattern) the cell in row i,
// column j says whether output i depends on input j. The axes are labelled "input j" and
// "output i", their ticks with 1-based indices. The colour scale runs from white at 0 to black at
// 1 (widened to the matrix's range when values fall outside [0, 1]; MatrixScale draws it); NaN
// cells are drawn in red.
func Matrix(m mat.Matrix, title string) (*plot.Plot, error) { return MatrixLabelled(m, title, nil) }

// MatrixLabelled is Matrix with names for the ticks of both axes (labels[j] names index j, shown
// cut to 10 characters); nil labels are the 1-based indices.
func MatrixLabelled(m mat.Matrix, title string, labels []string) (*plot.Plot, error) {
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
	if labels != nil && len(labels) != r {
		return nil, fmt.Errorf("plots: Matrix: %d labels for a %d×%d matrix", len(labels), r, r)
	}
	p.X.Tick.Marker = indexTicks{d: r, labels: labels}
	p.Y.Tick.Marker = indexTicks{d: r, flip: true, labels: labels}
	if labels != nil { // names slanted so that neighbours do not overlap
		p.X.Tick.Label.Rotation = math.Pi / 4
		p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XRight, draw.YCenter
	}
	return p, nil
}

// MatrixScale draws the colour scale of Matrix over [0, 1] as a horizontal bar labelled label.
func MatrixScale(label string) *plot.Plot {
	cm := palette.Reverse(moreland.BlackBody())
	cm.SetMin(0)
	cm.SetMax(1)
	p := plot.New()
	p.Add(&plotter.ColorBar{ColorMap: cm})
	p.HideY()
	p.X.Label.Text = label
	p.Title.Text = "colour scale"
	return p
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

// indexTicks labels at most about ten (twelve when named) matrix indices, 1-based or by name;
// flip labels y = k with index d-1-k.
type indexTicks struct {
	d      int
	flip   bool
	labels []string
}

func (t indexTicks) Ticks(_, _ float64) []plot.Tick {
	step := (t.d + 9) / 10
	if t.labels != nil && t.d <= 12 {
		step = 1
	}
	var ts []plot.Tick
	for i := 0; i < t.d; i += step {
		v := float64(i)
		if t.flip {
			v = float64(t.d - 1 - i)
		}
		label := strconv.Itoa(i + 1)
		if t.labels != nil {
			label = t.labels[i]
			if r := []rune(label); len(r) > 10 {
				label = string(r[:9]) + "…"
			}
		}
		ts = append(ts, plot.Tick{Value: v, Label: label})
	}
	return ts
}
