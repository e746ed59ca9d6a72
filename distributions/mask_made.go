package distributions

// The mask kinds "made" and "random": MADE conditioners (Germain et al. 2015), the MAF layer.

import (
	"math/rand"

	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/masks"
)

func init() {
	RegisterMask(MaskKind{Name: "made", Example: "made", TakesContext: true,
		Help: "MADE conditioners (one masked MLP per layer), orders alternating (or -order random)",
		Build: func(d, k int, _ string, s Spec, rng *rand.Rand) (layers.Layer, error) {
			return layers.NewAffineInjection(s.OrderFor(d, k, rng), s.affine(), rng)
		}})
	RegisterMask(MaskKind{Name: "random", Example: "random", TakesContext: true,
		Help: "MADE conditioners with a random order in every layer",
		Build: func(d, k int, _ string, s Spec, rng *rand.Rand) (layers.Layer, error) {
			return layers.NewAffineInjection(masks.Random(d, rng), s.affine(), rng)
		}})
}
