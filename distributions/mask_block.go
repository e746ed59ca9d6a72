package distributions

// The mask kind "block:SIZES": block-triangular layers.

import (
	"fmt"
	"math/rand"

	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/masks"
)

func init() {
	RegisterMask(MaskKind{Name: "block", Example: "block:2,2", TakesContext: true, Build: blockLayer,
		Help: "block:SIZES (summing to D), block-triangular layers, each block mixed by an LU linear map"})
}

// blockLayer is the "block:SIZES" kind: an AffineInjection whose degrees are block numbers (the
// conditioner of a block sees all earlier blocks and none of its own), followed by a
// block-diagonal Linear (LU) that mixes the dimensions inside each block, so that the dependence
// inside a block is full while the Jacobian stays block-triangular. Blocks are contiguous runs of
// dimensions, their order reversed on odd layers; with Order "random" each layer draws a random
// assignment of dimensions to blocks. With every block of size one there is nothing to mix and
// the layer is the "made" layer.
func blockLayer(d, k int, arg string, s Spec, rng *rand.Rand) (layers.Layer, error) {
	sizes, err := ParseSizes(arg)
	if err != nil {
		return nil, err
	}
	deg, err := masks.Blocks(sizes)
	if err != nil {
		return nil, err
	}
	if len(deg) != d {
		return nil, fmt.Errorf("distributions: block sizes %v sum to %d, the data have %d dimensions", sizes, len(deg), d)
	}
	switch {
	case s.Order == "random":
		if deg, err = masks.BlocksOf(sizes, rng.Perm(d)); err != nil {
			return nil, err
		}
	case k%2 == 1:
		deg = deg.Reverse()
	}
	a, err := layers.NewAffineInjection(deg, s.affine(), rng)
	if err != nil || deg.Max() == d {
		return a, err
	}
	mix, err := layers.NewBlockLinear(deg, nil)
	if err != nil {
		return nil, err
	}
	return layers.Sequence{a, mix}, nil
}

// ParseSizes parses "2,3,1" into block sizes.
func ParseSizes(arg string) ([]int, error) {
	if arg == "" {
		return nil, fmt.Errorf("distributions: block sizes missing (want e.g. block:2,3)")
	}
	sizes, err := ParseInts(arg)
	if err != nil {
		return nil, fmt.Errorf("distributions: block size %w", err)
	}
	return sizes, nil
}
