package modelfile

import (
	"encoding/json"
	"fmt"

	"github.com/affineflow/flow/graph"
	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/masks"
	"gonum.org/v1/gonum/mat"
)

// injectionJSON is an "injection" layer: one shared net per dimension i on [m_i ⊙ x, embedding[i]],
// or with context C on [m_i ⊙ [x, ctx], embedding[i]] (mask D×(D+C); context absent: 0).
type injectionJSON struct {
	Order   []int `json:"order"`
	Context int   `json:"context,omitempty"`
	// Transform is absent for the affine map.
	Transform  *transformJSON `json:"transform,omitempty"`
	Mask       [][]float64    `json:"mask"`
	Embedding  [][]float64    `json:"embedding"`
	Activation *string        `json:"activation"`
	ScaleClamp *float64       `json:"scale_clamp"`
	Net        netJSON        `json:"net"`
	// MaskLogits (extra field) are the logits L of a learnable mask: mask = σ(L) ⊙ S, S the
	// non-zero pattern of mask; absent for a fixed mask.
	MaskLogits [][]float64 `json:"mask_logits,omitempty"`
}

func init() { registerLayer("injection", encodeInjection, decodeInjection) }

func encodeInjection(l *layers.Injection) (any, error) {
	act, err := activationName(l.Net.Act)
	if err != nil {
		return nil, err
	}
	net, err := encodeNet(&l.Net, false)
	if err != nil {
		return nil, err
	}
	c := clampOut(l.Clamp)
	v := injectionJSON{
		Order:      append([]int(nil), l.Order...),
		Context:    l.Context,
		Transform:  encodeTransform(l.Elementwise),
		Mask:       rows(l.EffectiveMask()),
		Embedding:  rows(l.Embed.Mat()),
		Activation: &act,
		ScaleClamp: &c,
		Net:        net,
	}
	if l.Logits != nil {
		v.MaskLogits = rows(l.Logits.Mat())
	}
	return v, nil
}

func decodeInjection(raw json.RawMessage, dim int) (*layers.Injection, error) {
	var v injectionJSON
	if err := decodeInto(raw, &v, ""); err != nil {
		return nil, err
	}
	order, err := decodeOrder(v.Order, dim)
	if err != nil {
		return nil, err
	}
	if err := checkContext(v.Context); err != nil {
		return nil, err
	}
	m, err := matrix("mask", v.Mask, dim, dim+v.Context)
	if err != nil {
		return nil, err
	}
	if err := unitRange("mask", m); err != nil {
		return nil, err
	}
	if err := masks.CheckDependency(m.Slice(0, dim, 0, dim).(*mat.Dense), order); err != nil {
		return nil, fmt.Errorf("mask is outside the support allowed by order %v: %w", []int(order), err)
	}
	emb, err := matrix("embedding", v.Embedding, dim, -1)
	if err != nil {
		return nil, err
	}
	_, e := emb.Dims()
	act, err := activation(v.Activation)
	if err != nil {
		return nil, err
	}
	c, err := scaleClamp(v.ScaleClamp)
	if err != nil {
		return nil, err
	}
	tr, err := decodeTransform(v.Transform)
	if err != nil {
		return nil, err
	}
	ds, err := decodeNet(v.Net, dim+v.Context+e, tr.PerDim(), false, "inj")
	if err != nil {
		return nil, err
	}
	l := &layers.Injection{
		Order:       order,
		Mask:        m,
		Embed:       graph.NewMatrix("inj.embed", emb),
		Net:         layers.Net{Layers: ds, Act: act},
		Clamp:       c,
		Context:     v.Context,
		Elementwise: tr,
	}
	if v.MaskLogits != nil {
		if err := learnedMask(l, v.MaskLogits, dim, dim+v.Context); err != nil {
			return nil, err
		}
	}
	if err := l.Validate(); err != nil {
		return nil, err
	}
	return l, nil
}

// learnedMask makes l's mask learnable from the extra field mask_logits: the support is the
// non-zero pattern of mask, which must equal σ(L) ⊙ S.
func learnedMask(l *layers.Injection, logits [][]float64, rows, cols int) error {
	lm, err := matrix("mask_logits", logits, rows, cols)
	if err != nil {
		return err
	}
	soft := l.Mask
	l.Mask = masks.Support(soft)
	l.Logits = graph.NewMatrix("inj.mask_logits", lm)
	return agrees("mask_logits", "mask", l.EffectiveMask(), soft)
}
