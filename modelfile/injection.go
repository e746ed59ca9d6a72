package modelfile

import (
	"encoding/json"
	"fmt"

	"github.com/affineflow/flow/graph"
	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/masks"
)

// injectionJSON is an "injection" layer: one shared net per dimension i on [m_i ⊙ x, embedding[i]].
type injectionJSON struct {
	Order      []int       `json:"order"`
	Mask       [][]float64 `json:"mask"`
	Embedding  [][]float64 `json:"embedding"`
	Activation *string     `json:"activation"`
	ScaleClamp *float64    `json:"scale_clamp"`
	Net        netJSON     `json:"net"`
}

func init() { registerLayer("injection", encodeInjection, decodeInjection) }

func encodeInjection(l *layers.Injection) (any, error) {
	act, err := activationName(l.Net.Act)
	if err != nil {
		return nil, err
	}
	net, err := encodeNet(l.Net, false)
	if err != nil {
		return nil, err
	}
	c := clampOut(l.Clamp)
	return injectionJSON{
		Order:      append([]int(nil), l.Order...),
		Mask:       rows(l.Mask),
		Embedding:  rows(l.Embed.Mat()),
		Activation: &act,
		ScaleClamp: &c,
		Net:        net,
	}, nil
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
	m, err := matrix("mask", v.Mask, dim, dim)
	if err != nil {
		return nil, err
	}
	if err := unitRange("mask", m); err != nil {
		return nil, err
	}
	if err := masks.CheckDependency(m, order); err != nil {
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
	ds, err := decodeNet(v.Net, dim+e, 2, false, "inj")
	if err != nil {
		return nil, err
	}
	l := &layers.Injection{
		Order: order,
		Mask:  m,
		Embed: graph.NewMatrix("inj.embed", emb),
		Net:   layers.Net{Layers: ds, Act: act},
		Clamp: c,
	}
	if err := l.Validate(); err != nil {
		return nil, err
	}
	return l, nil
}
