package distributions

// The mask kind "injection": the literal affine injection layer, one shared network per
// dimension on m_i ⊙ x and an embedding of i, with the order's full strictly lower mask.

import (
	"math/rand"

	"github.com/affineflow/flow/layers"
)

func init() {
	RegisterMask(MaskKind{Name: "injection", Example: "injection",
		Help: "per-dimension injection: one shared network on m_i ⊙ x and an embedding of i",
		Build: func(d, k int, _ string, s Spec, rng *rand.Rand) (layers.Layer, error) {
			return layers.NewInjection(s.OrderFor(d, k, rng), layers.InjectionSettings{Hidden: s.Hidden,
				Activation: s.Activation, ScaleClamp: s.ScaleClamp, Residual: s.Residual}, rng)
		}})
}
