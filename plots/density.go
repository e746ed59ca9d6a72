package plots

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
)

// DensityPalette is the number of colours of the heat maps' palettes.
const DensityPalette = 256

// Density2D draws exp(log p) of a 2-D density as a heat map on a grid×grid grid of cells tiling
// bounds = [xmin, xmax, ymin, ymax]. logp is called once with the grid×2 cell centres (row
// r·grid+c is the centre of column c, row r, counted from xmin and ymin) and must return one
// log-density per row. Non-finite log-densities are drawn as 0; the colour scale runs from 0 to
// the largest density on the grid (dark: 0, light: the largest), which the x-axis label says. The
// axes are labelled x1 and x2.
func Density2D(logp func(x *mat.Dense) []float64, bounds [4]float64, grid int, title string) (*plot.Plot, error) {
	if logp == nil {
		return nil, fmt.Errorf("plots: Density2D: nil log-density")
	}
	xmin, xmax, ymin, ymax := bounds[0], bounds[1], bounds[2], bounds[3]
	for _, v := range bounds {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("plots: Density2D: bounds %v are not finite", bounds)
		}
	}
	if !(xmin < xmax) || !(ymin < ymax) {
		return nil, fmt.Errorf("plots: Density2D: bounds %v, want xmin < xmax and ymin < ymax", bounds)
	}
	if grid < 2 {
		return nil, fmt.Errorf("plots: Density2D: grid %d, want >= 2", grid)
	}
	g := &densityGrid{n: grid, x0: xmin, y0: ymin, dx: (xmax - xmin) / float64(grid), dy: (ymax - ymin) / float64(grid)}
	pts := mat.NewDense(grid*grid, 2, nil)
	for r := 0; r < grid; r++ {
		for c := 0; c < grid; c++ {
			pts.Set(r*grid+c, 0, g.X(c))
			pts.Set(r*grid+c, 1, g.Y(r))
		}
	}
	lp := logp(pts)
	if len(lp) != grid*grid {
		return nil, fmt.Errorf("plots: Density2D: log-density returned %d values for %d points", len(lp), grid*grid)
	}
	g.z = densities(lp)

	p := plot.New()
	p.Title.Text = title
	h := plotter.NewHeatMap(g, moreland.Kindlmann().Palette(DensityPalette))
	h.Min, h.Max = 0, 1
	h.Rasterized = true
	p.Add(h)
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = xmin, xmax, ymin, ymax
	p.X.Padding, p.Y.Padding = 0, 0
	p.X.Label.Text = "x1      colour: density exp(log p), dark 0 → light max"
	p.Y.Label.Text = "x2"
	return p, nil
}

// densities returns exp(lp) divided by its largest value (so values lie in [0, 1]), with
// non-finite entries of lp as 0. It works in log space, so very large or small log-densities
// neither overflow nor all underflow.
func densities(lp []float64) []float64 {
	top := math.Inf(-1)
	for _, v := range lp {
		if !math.IsNaN(v) && !math.IsInf(v, 0) && v > top {
			top = v
		}
	}
	z := make([]float64, len(lp))
	if math.IsInf(top, -1) {
		return z // no finite value: all zero
	}
	for i, v := range lp {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			z[i] = math.Exp(v - top)
		}
	}
	return z
}

// densityGrid is a plotter.GridXYZ of cell centres on a regular grid, z stored row-major by y.
type densityGrid struct {
	n              int
	x0, y0, dx, dy float64
	z              []float64
}

func (g *densityGrid) Dims() (c, r int)   { return g.n, g.n }
func (g *densityGrid) Z(c, r int) float64 { return g.z[r*g.n+c] }
func (g *densityGrid) X(c int) float64    { return g.x0 + (float64(c)+0.5)*g.dx }
func (g *densityGrid) Y(r int) float64    { return g.y0 + (float64(r)+0.5)*g.dy }
