package modelfile

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/affineflow/flow/graph"
	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/masks"
	"gonum.org/v1/gonum/mat"
)

// denseJSON is one entry of a "net": h ← act(h·(weight⊙mask) + bias), linear for the last entry.
type denseJSON struct {
	Weight   [][]float64 `json:"weight"`
	Bias     []float64   `json:"bias"`
	Mask     [][]float64 `json:"mask,omitempty"`
	Residual bool        `json:"residual,omitempty"`
	// GateLogits (extra field) are the logits G of learnable gates: mask = σ(G) ⊙ S, S the
	// non-zero pattern of mask; absent for a fixed mask.
	GateLogits [][]float64 `json:"gate_logits,omitempty"`
}

// netJSON is a "net"; its entries are decoded one by one so that errors name the entry.
type netJSON []denseJSON

// UnmarshalJSON decodes the entries of a net, naming the entry in type errors ("net[1].weight").
func (n *netJSON) UnmarshalJSON(b []byte) error {
	var raws []json.RawMessage
	if err := decodeInto(b, &raws, "net"); err != nil {
		return err
	}
	if raws == nil {
		*n = nil
		return nil
	}
	if len(raws) > MaxNetDepth {
		return fmt.Errorf("net has %d entries, %s", len(raws), overLimit("modelfile.MaxNetDepth", MaxNetDepth))
	}
	out := make(netJSON, len(raws))
	for k, raw := range raws {
		if err := decodeInto(raw, &out[k], fmt.Sprintf("net[%d]", k)); err != nil {
			return err
		}
	}
	*n = out
	return nil
}

// encodeNet writes a conditioner network; masked nets (affine_injection) must have a mask on
// every map, unmasked ones (injection) none or an all-ones one, which is omitted.
func encodeNet(n *layers.Net, masked bool) (netJSON, error) {
	out := make(netJSON, len(n.Layers))
	for k, dn := range n.Layers {
		e := denseJSON{Weight: rows(dn.W.Mat()), Bias: append([]float64(nil), dn.B.Data()...), Residual: dn.Residual}
		switch {
		case masked && dn.Mask == nil:
			return nil, fmt.Errorf("net[%d] has no mask", k)
		case masked:
			e.Mask = rows(dn.EffectiveMask())
			if dn.Gate != nil {
				e.GateLogits = rows(dn.Gate.Mat())
			}
		case dn.Gate != nil:
			return nil, fmt.Errorf("net[%d] has gates, which this layer type cannot store", k)
		case dn.Mask != nil && !allOnes(dn.Mask):
			return nil, fmt.Errorf("net[%d] has a mask that is not all ones, which this layer type cannot store", k)
		}
		out[k] = e
	}
	return out, nil
}

// decodeNet validates a "net" whose first entry reads in values and whose last returns out
// values, and builds its maps. Parameter names are prefix0.W, prefix0.b, prefix1.W, ...
func decodeNet(entries netJSON, in, out int, masked bool, prefix string) ([]layers.Dense, error) {
	if entries == nil {
		return nil, fmt.Errorf("net is missing")
	}
	if len(entries) == 0 {
		return nil, fmt.Errorf("net is empty, want at least one entry")
	}
	ds := make([]layers.Dense, len(entries))
	width := in
	for k, e := range entries {
		at := fmt.Sprintf("net[%d]", k)
		last := k == len(entries)-1
		wantC := -1
		if last {
			wantC = out
		}
		w, err := matrix(at+".weight", e.Weight, width, wantC)
		if err != nil {
			return nil, err
		}
		_, c := w.Dims()
		b, err := vector(at+".bias", e.Bias, c)
		if err != nil {
			return nil, err
		}
		var m *mat.Dense
		switch {
		case masked:
			if m, err = matrix(at+".mask", e.Mask, width, c); err != nil {
				return nil, err
			}
			if err := unitRange(at+".mask", m); err != nil {
				return nil, err
			}
		case e.Mask != nil:
			mm, err := matrix(at+".mask", e.Mask, width, c)
			if err != nil {
				return nil, err
			}
			if !allOnes(mm) {
				return nil, fmt.Errorf("%s.mask is not all ones: this layer's net entries are unmasked (omit the field)", at)
			}
		}
		if e.Residual && last {
			return nil, fmt.Errorf("%s.residual is true, but the last entry is linear and cannot be residual", at)
		}
		if e.Residual && width != c {
			return nil, fmt.Errorf("%s.residual is true, but the weight is %d×%d, not square", at, width, c)
		}
		name := fmt.Sprintf("%s%d", prefix, k)
		ds[k] = layers.Dense{
			W:        graph.NewMatrix(name+".W", w),
			B:        graph.NewParam(name+".b", b, c),
			Mask:     m,
			Residual: e.Residual,
		}
		if e.GateLogits != nil {
			if !masked {
				return nil, fmt.Errorf("%s.gate_logits: this layer's net entries have no mask to gate", at)
			}
			gl, err := matrix(at+".gate_logits", e.GateLogits, width, c)
			if err != nil {
				return nil, err
			}
			ds[k].Mask = masks.Support(m)
			ds[k].Gate = graph.NewMatrix(name+".gate", gl)
			if err := agrees(at+".gate_logits", at+".mask", ds[k].EffectiveMask(), m); err != nil {
				return nil, err
			}
		}
		width = c
	}
	return ds, nil
}

func allOnes(m *mat.Dense) bool {
	r, c := m.Dims()
	for i := range r {
		for j := range c {
			if m.At(i, j) != 1 {
				return false
			}
		}
	}
	return true
}

// agrees checks that the soft mask computed from the logits field equals the stored mask (to
// 1e-12): the stored mask alone defines the density, the logits only let training resume.
func agrees(logits, mask string, got, want *mat.Dense) error {
	r, c := want.Dims()
	for i := range r {
		for j := range c {
			if math.Abs(got.At(i, j)-want.At(i, j)) > 1e-12 {
				return fmt.Errorf("%s give %g at (%d, %d), but %s holds %g", logits, got.At(i, j), i, j, mask, want.At(i, j))
			}
		}
	}
	return nil
}
