package distributions

// This file is the worked example of adding a mask kind (see "Adding a mask type" in the README):
// one file with the mask and its registration, plus one row in the conformance table of
// layers/layers_test.go.

import (
	"fmt"
	"math/rand"
	"strconv"

	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/masks"
	"gonum.org/v1/gonum/mat"
)

// BandedMask returns the D×D banded mask of an order (Jacobian convention, row i = output i):
// each dimension sees only the w dimensions just before it in the order,
//
//	M[i][j] = 1  iff  0 < deg(i) − deg(j) ≤ w,
//
// a band below the diagonal of the strictly lower-triangular mask once rows and columns follow the
// order (a finite-memory, Markov-like conditioner). w >= D−1 gives the full mask.
func BandedMask(order masks.Degrees, w int) *mat.Dense {
	d := len(order)
	m := mat.NewDense(d, d, nil)
	for i := range d {
		for j := range d {
			if gap := order[i] - order[j]; gap > 0 && gap <= w {
				m.Set(i, j, 1)
			}
		}
	}
	return m
}

// "banded:W": per-dimension injection layers whose dimension i sees the W previous dimensions of
// the layer's order (alternating or random, Spec.Order).
func init() {
	RegisterMask("banded", func(d, k int, arg string, s Spec, rng *rand.Rand) (layers.Layer, error) {
		w, err := strconv.Atoi(arg)
		if err != nil || w < 1 {
			return nil, fmt.Errorf("distributions: banded:%s: the band width must be a positive integer (e.g. banded:2)", arg)
		}
		order := s.OrderFor(d, k, rng)
		return layers.NewInjection(order, layers.InjectionSettings{Mask: BandedMask(order, w), Hidden: s.Hidden,
			Activation: s.Activation, ScaleClamp: s.ScaleClamp, Residual: s.Residual}, rng)
	})
}
