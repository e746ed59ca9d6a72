package plots

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// PointColor is the colour of Scatter's points: a translucent dark blue, so dense regions show
// darker.
var PointColor = color.NRGBA{R: 20, G: 60, B: 160, A: 90}

// Scatter draws the rows of an N×2 matrix as small points. Rows with a NaN or infinite coordinate
// are left out (and counted in the title); it is an error when no row is finite.
func Scatter(x *mat.Dense, title string) (*plot.Plot, error) {
	if x == nil || x.IsEmpty() {
		return nil, fmt.Errorf("plots: Scatter: no points")
	}
	n, d := x.Dims()
	if d != 2 {
		return nil, fmt.Errorf("plots: Scatter: points have %d columns, want 2", d)
	}
	xys := make(plotter.XYs, 0, n)
	for i := 0; i < n; i++ {
		px, py := x.At(i, 0), x.At(i, 1)
		if finite(px) && finite(py) {
			xys = append(xys, plotter.XY{X: px, Y: py})
		}
	}
	if len(xys) == 0 {
		return nil, fmt.Errorf("plots: Scatter: none of the %d points is finite", n)
	}
	if skipped := n - len(xys); skipped > 0 {
		title = fmt.Sprintf("%s (%d non-finite left out)", title, skipped)
	}
	s, err := plotter.NewScatter(xys)
	if err != nil {
		return nil, fmt.Errorf("plots: Scatter: %w", err)
	}
	s.GlyphStyle = draw.GlyphStyle{Color: PointColor, Radius: vg.Points(0.9), Shape: draw.CircleGlyph{}}
	p := plot.New()
	p.Title.Text = title
	p.Add(s)
	p.X.Label.Text, p.Y.Label.Text = "x1", "x2"
	return p, nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
