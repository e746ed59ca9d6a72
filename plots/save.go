package plots

import (
	"bytes"
	"fmt"
	"image"
	"io"

	"github.com/affineflow/flow/internal/atomicfile"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// DPI is the resolution SavePNG renders at; fonts and line widths are specified in points, so at
// 96 DPI a 400-pixel tile is 300 points (about 10.6 cm) wide.
const DPI = 96

// MaxPixels bounds the width and the height of the image SavePNG writes.
const MaxPixels = 16384

// SavePNG arranges the plots row by row in a grid of cols columns (as many rows as needed) of
// tile×tile-pixel tiles and writes the result as one PNG image of cols·tile × rows·tile pixels.
// A nil plot leaves its tile empty. The file is replaced atomically: the image is rendered in
// memory, written to a temporary file in the same directory and renamed to path; on any error
// nothing is left at path (an existing file there is left unchanged) and no temporary file remains.
func SavePNG(path string, cols int, tile int, ps ...*plot.Plot) (err error) {
	if len(ps) == 0 {
		return fmt.Errorf("plots: SavePNG %s: no plots", path)
	}
	if cols < 1 || tile < 1 {
		return fmt.Errorf("plots: SavePNG %s: %d columns of %d-pixel tiles, want both >= 1", path, cols, tile)
	}
	if cols > len(ps) {
		cols = len(ps)
	}
	rows := (len(ps) + cols - 1) / cols
	if cols*tile > MaxPixels || rows*tile > MaxPixels {
		return fmt.Errorf("plots: SavePNG %s: image of %d×%d pixels is larger than %d per side", path, cols*tile, rows*tile, MaxPixels)
	}
	buf, err := render(rows, cols, tile, ps)
	if err != nil {
		return fmt.Errorf("plots: SavePNG %s: %w", path, err)
	}
	if err := writeAtomic(path, buf); err != nil {
		return fmt.Errorf("plots: SavePNG: %w", err)
	}
	return nil
}

// render draws the plots on a white rows×cols grid of tiles and encodes it as PNG. A plotter that
// panics while drawing becomes an error.
func render(rows, cols, tile int, ps []*plot.Plot) (buf *bytes.Buffer, err error) {
	defer func() {
		if r := recover(); r != nil {
			buf, err = nil, fmt.Errorf("drawing failed: %v", r)
		}
	}()
	img := image.NewRGBA(image.Rect(0, 0, cols*tile, rows*tile))
	c := vgimg.NewWith(vgimg.UseImage(img), vgimg.UseDPI(DPI))
	grid := make([][]*plot.Plot, rows)
	for i := range grid {
		grid[i] = make([]*plot.Plot, cols)
		for j := range grid[i] {
			if k := i*cols + j; k < len(ps) {
				grid[i][j] = ps[k]
			}
		}
	}
	pad := vg.Points(6)
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: 2 * pad, PadY: 2 * pad,
		PadTop: pad, PadBottom: pad, PadLeft: pad, PadRight: pad}
	canvases := plot.Align(grid, tiles, draw.New(c))
	for i := range grid {
		for j, p := range grid[i] {
			if p != nil {
				p.Draw(canvases[i][j])
			}
		}
	}
	buf = new(bytes.Buffer)
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(buf); err != nil {
		return nil, err
	}
	return buf, nil
}

// writeAtomic writes buf through atomicfile.WriteFileAtomic: a temporary file next to path, synced
// and renamed, removed on any failure.
func writeAtomic(path string, buf *bytes.Buffer) error {
	return atomicfile.WriteFileAtomic(path, func(w io.Writer) error { _, err := buf.WriteTo(w); return err })
}
