package distributions

// The worked example of a mask kind (README: "Adding a mask type"): one file that registers it.

import (
	"fmt"
	"math/rand"
	"strconv"

	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/masks"
)

// "banded:W": injection layers whose dimension i sees the W dimensions before it in the layer's
// order (masks.Banded; the order alternates, or is random with Spec.Order "random").
func init() {
	RegisterMask(MaskKind{Name: "banded", Example: "banded:2", TakesContext: true,
		Help: "banded:W, injection layers, each dimension seeing only the W dimensions before it in the order (and the context)",
		Build: func(d, k int, arg string, s Spec, rng *rand.Rand) (layers.Layer, error) {
			w, err := strconv.Atoi(arg) // the text after "banded:"
			if err != nil || w < 1 {
				return nil, fmt.Errorf("distributions: banded:%s: the band width must be a positive integer (e.g. banded:2)", arg)
			}
			order := s.OrderFor(d, k, rng)
			return layers.NewInjection(order, s.injection(masks.Banded(order, w), false), rng)
		}})
}
