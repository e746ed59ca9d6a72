package modelfile_test

import (
	"fmt"
	"log"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/modelfile"
	"gonum.org/v1/gonum/mat"
)

// A flow that standardizes two columns and swaps them, written with its column names and read
// back.
func Example() {
	f := &distributions.Flow{
		Base: distributions.StandardNormal{D: 2},
		Layers: []layers.Layer{
			layers.NewStandardize([]float64{1, -1}, []float64{2, 0.5}),
			layers.Reverse(2),
		},
	}
	data, err := modelfile.Marshal(f, modelfile.Meta{"columns": []string{"x", "y"}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(string(data))

	g, meta, err := modelfile.Unmarshal(data, "example.json")
	if err != nil {
		log.Fatal(err)
	}
	cols, _ := meta.Strings("columns")
	x := mat.NewDense(1, 2, []float64{1, -1})
	fmt.Printf("columns %v, log p(1, -1) = %.6f\n", cols, g.LogProbs(x)[0])
	// Output:
	// {
	//   "format": "affine-injection-flow/v1",
	//   "dim": 2,
	//   "meta": {"columns":["x","y"]},
	//   "base": {"type":"standard_normal"},
	//   "layers": [
	//     {"type":"elementwise_affine","shift":[1,-1],"log_scale":[-0.6931471805599453,0.6931471805599453],"frozen":true},
	//     {"type":"permutation","perm":[1,0]}
	//   ]
	// }
	// columns [x y], log p(1, -1) = -1.837877
}
