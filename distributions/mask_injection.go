package distributions

// The mask kind "injection": the literal affine injection layer, one shared network per
// dimension on m_i ⊙ x and an embedding of i, with the order's full strictly lower mask.

import (
	"math/rand"

	"github.com/affineflow/flow/layers"
	"gonum.org/v1/gonum/mat"
)

func init() {
	RegisterMask(MaskKind{Name: "injection", Example: "injection", TakesContext: true,
		Help: "per-dimension injection: one shared network on m_i ⊙ x and an embedding of i (and the context)",
		Build: func(d, k int, _ string, s Spec, rng *rand.Rand) (layers.Layer, error) {
			return layers.NewInjection(s.OrderFor(d, k, rng), s.injection(nil, false), rng)
		}})
}

// injection returns the settings of an injection layer with the given mask (nil: the order's
// full support), learned when learn.
func (s Spec) injection(mask *mat.Dense, learn bool) layers.InjectionSettings {
	return layers.InjectionSettings{Mask: mask, LearnMask: learn, Hidden: s.Hidden, Activation: s.Activation,
		ScaleClamp: s.ScaleClamp, Residual: s.Residual, Context: s.Context, Elementwise: s.Transform}
}
