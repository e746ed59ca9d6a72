package modelfile

import (
	"encoding/json"
	"fmt"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/layers"
)

// madeMixtureJSON is a "made_mixture" base (MADE MoG): for every dimension i in order, a mixture
// of K Gaussians whose logits, means and raw log-stds are the net's outputs r·D + i for
// r = k, K + k and 2K + k; σ = exp(C·tanh(raw/C)) with C = scale_clamp (0: σ = exp(raw)).
type madeMixtureJSON struct {
	Order      []int    `json:"order"`
	Components int      `json:"components"`
	Activation *string  `json:"activation"`
	ScaleClamp *float64 `json:"scale_clamp"`
	Net        netJSON  `json:"net"`
}

func init() {
	baseKinds.add("made_mixture", kind[distributions.Base]{
		encode: func(b distributions.Base) (any, bool, error) {
			m, ok := b.(*distributions.MADEMixture)
			if !ok {
				return nil, false, nil
			}
			act, err := activationName(m.Net.Act)
			if err != nil {
				return nil, true, err
			}
			net, err := encodeNet(&m.Net, true)
			if err != nil {
				return nil, true, err
			}
			c := clampOut(m.Clamp)
			return madeMixtureJSON{Order: append([]int(nil), m.Order...), Components: m.K, Activation: &act,
				ScaleClamp: &c, Net: net}, true, nil
		},
		decode: decodeMADEMixture,
	})
}

func decodeMADEMixture(raw json.RawMessage, dim int) (distributions.Base, error) {
	var v madeMixtureJSON
	if err := decodeInto(raw, &v, ""); err != nil {
		return nil, err
	}
	order, err := decodeOrder(v.Order, dim)
	if err != nil {
		return nil, err
	}
	if v.Components < 1 || v.Components > distributions.MaxComponents {
		return nil, fmt.Errorf("components is %d, want 1 to %d (distributions.MaxComponents)", v.Components, distributions.MaxComponents)
	}
	act, err := activation(v.Activation)
	if err != nil {
		return nil, err
	}
	c, err := scaleClamp(v.ScaleClamp)
	if err != nil {
		return nil, err
	}
	ds, err := decodeNet(v.Net, dim, 3*v.Components*dim, true, "base.made")
	if err != nil {
		return nil, err
	}
	b := &distributions.MADEMixture{Order: order, K: v.Components, Net: layers.Net{Layers: ds, Act: act}, Clamp: c}
	if err := b.Validate(); err != nil {
		return nil, fmt.Errorf("net masks are not autoregressive in order: %w", err)
	}
	return b, nil
}
