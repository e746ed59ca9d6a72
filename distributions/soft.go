package distributions

import (
	"math/rand"

	"github.com/affineflow/flow/graph"
	"github.com/affineflow/flow/layers"
	G "gorgonia.org/gorgonia"
)

// Learnable soft masks: the mask kinds "soft" (an injection layer with mask
// σ(L) ⊙ S, S the order's support) and "made-soft" (a MADE layer with learnable gates on the
// first map's allowed weights), the sparsity penalty's unit and hardening.

func init() {
	RegisterMask(MaskKind{Name: "soft", Example: "soft", TakesContext: true,
		Help: "injection layers with a learned soft mask σ(L) ⊙ S and a sparsity penalty (-sparsity, -harden); with context, the mask also covers the context columns",
		Build: func(d, k int, _ string, s Spec, rng *rand.Rand) (layers.Layer, error) {
			return layers.NewInjection(s.OrderFor(d, k, rng), s.injection(nil, true), rng)
		}})
	RegisterMask(MaskKind{Name: "made-soft", Example: "made-soft", TakesContext: true,
		Help: "MADE conditioners with learned gates σ(G) on the first map's allowed weights",
		Build: func(d, k int, _ string, s Spec, rng *rand.Rand) (layers.Layer, error) {
			l, err := layers.NewAffineInjection(s.OrderFor(d, k, rng), s.affine(), rng)
			if err != nil {
				return nil, err
			}
			return l, l.LearnGates(layers.DefaultMaskInit)
		}})
}

// MaskSum adds Σ M over the learnable soft masks of the flow's layers (layers.SoftMasked) to g,
// a scalar node, or returns nil when no layer has one. The trainer adds Sparsity·MaskSum to the
// training loss (trainer.MaskSummer).
func (f *Flow) MaskSum(g *graph.Graph) *G.Node {
	var sum *G.Node
	for _, l := range f.Layers {
		sl, ok := l.(layers.SoftMasked)
		if !ok || !sl.Soft() {
			continue
		}
		if s := sl.MaskSum(g); sum == nil {
			sum = s
		} else {
			sum = G.Must(G.Add(sum, s))
		}
	}
	return sum
}

// MaskSum of a conditional flow is its flow's, so that the trainer penalizes its soft masks.
func (c ConditionalFlow) MaskSum(g *graph.Graph) *G.Node { return c.Flow.MaskSum(g) }

// SoftLayers returns the indices of the layers with a learnable soft mask.
func (f *Flow) SoftLayers() []int {
	var idx []int
	for k, l := range f.Layers {
		if sl, ok := l.(layers.SoftMasked); ok && sl.Soft() {
			idx = append(idx, k)
		}
	}
	return idx
}

// HardenMasks hardens every learnable soft mask of the flow at threshold thr (entries whose soft
// value is >= thr are kept, see layers.SoftMasked); afterwards the flow has fixed masks only and
// can be fine-tuned with trainer.Fit. It returns the mask entries kept.
func (f *Flow) HardenMasks(thr float64) int {
	kept := 0
	for _, k := range f.SoftLayers() {
		kept += f.Layers[k].(layers.SoftMasked).Harden(thr)
	}
	return kept
}

// HardenMasksTopK keeps the k largest entries of each row of every learnable injection mask
// (masks.TopK); gated MADE layers, whose gates are not per dependency, are hardened at 0.5. It
// returns the mask entries kept.
func (f *Flow) HardenMasksTopK(k int) int {
	kept := 0
	for _, i := range f.SoftLayers() {
		switch l := f.Layers[i].(type) {
		case *layers.Injection:
			kept += l.HardenTopK(k)
		default:
			kept += l.(layers.SoftMasked).Harden(0.5)
		}
	}
	return kept
}
