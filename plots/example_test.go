package plots_test

import (
	"fmt"
	"image/png"
	"log"
	"os"
	"path/filepath"

	"github.com/affineflow/flow/plots"
	"gonum.org/v1/gonum/mat"
)

// Two tiles side by side, 300 pixels each: a dependency matrix and a scatter plot.
func ExampleSavePNG() {
	dir, err := os.MkdirTemp("", "plots-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	pattern := mat.NewDense(3, 3, []float64{1, 0, 0, 1, 1, 0, 1, 1, 1})
	m, err := plots.Matrix(pattern, "dependencies")
	if err != nil {
		log.Fatal(err)
	}
	s, err := plots.Scatter(mat.NewDense(3, 2, []float64{0, 0, 1, 1, 2, 0}), "points")
	if err != nil {
		log.Fatal(err)
	}
	path := filepath.Join(dir, "fig.png")
	if err := plots.SavePNG(path, 2, 300, m, s); err != nil {
		log.Fatal(err)
	}

	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(img.Bounds())
	// Output: (0,0)-(600,300)
}
