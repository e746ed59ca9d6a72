package plots

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"io"

	"github.com/affineflow/flow/internal/atomicfile"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
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
// A short last row is centred, so the grid has no empty slots; a nil plot leaves its tile blank.
// The file is replaced atomically: the image is rendered in memory, written to a temporary file in
// the same directory and renamed to path; on any error nothing is left at path (an existing file
// there is left unchanged) and no temporary file remains.
func SavePNG(path string, cols int, tile int, ps ...*plot.Plot) error {
	return SavePNGTitled(path, "", cols, tile, ps...)
}

// titlePx is the height of SavePNGTitled's title band.
const titlePx = 32

// SavePNGTitled is SavePNG with a title above the grid (none when title is "").
func SavePNGTitled(path, title string, cols int, tile int, ps ...*plot.Plot) (err error) {
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
	if cols*tile > MaxPixels || rows*tile+titlePx > MaxPixels {
		return fmt.Errorf("plots: SavePNG %s: image of %d×%d pixels is larger than %d per side", path, cols*tile, rows*tile, MaxPixels)
	}
	buf, err := render(rows, cols, tile, title, ps)
	if err != nil {
		return fmt.Errorf("plots: SavePNG %s: %w", path, err)
	}
	if err := writeAtomic(path, buf); err != nil {
		return fmt.Errorf("plots: SavePNG: %w", err)
	}
	return nil
}

// render draws the plots on a white grid of tiles, the last row centred, under the title band
// (when there is a title), and encodes it as PNG. A plotter that panics while drawing becomes an
// error.
func render(rows, cols, tile int, title string, ps []*plot.Plot) (buf *bytes.Buffer, err error) {
	defer func() {
		if r := recover(); r != nil {
			buf, err = nil, fmt.Errorf("drawing failed: %v", r)
		}
	}()
	band := 0
	if title != "" {
		band = titlePx
	}
	w, h := cols*tile, rows*tile+band
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	c := vgimg.NewWith(vgimg.UseImage(img), vgimg.UseDPI(DPI))
	dc := draw.New(c)
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	px := func(n int) vg.Length { return vg.Length(n) * vg.Inch / DPI }
	pad := vg.Points(6)
	for k, p := range ps {
		if p == nil {
			continue
		}
		i, j := k/cols, k%cols
		offset := 0
		if inRow := min(cols, len(ps)-i*cols); inRow < cols {
			offset = (cols - inRow) * tile / 2
		}
		x0, y1 := j*tile+offset, h-band-i*tile // left and top edges in pixels, y upwards
		tc := draw.Crop(dc, px(x0)+pad, -px(w-x0-tile)-pad, px(y1-tile)+pad, -px(h-y1)-pad)
		p.Draw(tc)
	}
	if title != "" {
		fnt := plot.DefaultFont
		fnt.Size = vg.Points(13)
		sty := text.Style{Color: color.Black, Font: fnt,
			XAlign: draw.XCenter, YAlign: draw.YCenter, Handler: plot.DefaultTextHandler}
		dc.FillText(sty, vg.Point{X: px(w) / 2, Y: px(h) - px(band)/2}, title)
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
