package masks

import "gonum.org/v1/gonum/mat"

// Between returns the len(in) × len(out) 0/1 mask of a weight matrix W
// mapping a layer with degrees in to a layer with degrees out, used as h·W
// (rows = inputs, columns = outputs):
//
//	mask[a][b] = 1 if out[b] >= in[a]   (strict = false: hidden layers)
//	mask[a][b] = 1 if out[b] >  in[a]   (strict = true: output layer)
//
// and 0 otherwise (Germain et al. 2015; nflows MaskedLinear). It is the
// transpose of the paper's M^W. If either side is empty, the result is an
// empty matrix (IsEmpty reports true).
func Between(in, out Degrees, strict bool) *mat.Dense {
	if len(in) == 0 || len(out) == 0 {
		return &mat.Dense{}
	}
	m := mat.NewDense(len(in), len(out), nil)
	for a, da := range in {
		for b, db := range out {
			if db > da || (!strict && db == da) {
				m.Set(a, b, 1)
			}
		}
	}
	return m
}
