package layers

import (
	"errors"
	"fmt"
	"math"

	"github.com/affineflow/flow/graph"
	"github.com/affineflow/flow/masks"
	"gonum.org/v1/gonum/mat"
	G "gorgonia.org/gorgonia"
)

// Learnable gates: the soft mask in the MADE form. A map with Gate logits G applies the mask
// Mask ⊙ σ(G) (Mask its fixed 0/1 MADE mask), so a gate can only weaken an allowed weight, never
// open a forbidden one, and the layer stays strictly autoregressive. AffineInjection.LearnGates
// puts gates on the first map (one per allowed input→hidden weight).

// EffectiveMask returns the mask the map applies: Mask (not a copy), or a fresh Mask ⊙ σ(Gate).
func (l Dense) EffectiveMask() *mat.Dense {
	if l.Gate == nil || l.Mask == nil {
		return l.Mask
	}
	return softValues(l.Gate, l.Mask)
}

// maskNode adds the effective mask to g: a constant, or Mask ⊙ σ(Gate).
func (l Dense) maskNode(g *graph.Graph) *G.Node {
	if l.Gate == nil {
		return g.Const(l.Mask)
	}
	return softNode(g, l.Gate, l.Mask)
}

// validateGate checks the gate logits of map k.
func (l Dense) validateGate(k int) error {
	if l.Gate == nil {
		return nil
	}
	if l.Mask == nil {
		return fmt.Errorf("layers: map %d has gates but no mask", k)
	}
	r, c := l.Mask.Dims()
	if s := l.Gate.Shape(); len(s) != 2 || s[0] != r || s[1] != c {
		return fmt.Errorf("layers: map %d gate logits have shape %v, want %d×%d", k, s, r, c)
	}
	if !graph.IsBinary(l.Mask) {
		return fmt.Errorf("layers: map %d has gates on a mask that is not 0/1", k)
	}
	for i, v := range l.Gate.Data() {
		if math.IsNaN(v) {
			return fmt.Errorf("layers: map %d gate logit (%d, %d) is NaN", k, i/c, i%c)
		}
	}
	return nil
}

// LearnGates puts learnable gates on the first map's allowed weights, σ(G) = init (default
// DefaultMaskInit) on the mask's support. The layer's function is multiplied through: with
// init = 0.5 the first map's effective weights are halved.
func (l *AffineInjection) LearnGates(init float64) error {
	if len(l.Net.Layers) == 0 {
		return errors.New("layers: affine injection has no conditioner maps")
	}
	first := &l.Net.Layers[0]
	if first.Mask == nil || !graph.IsBinary(first.Mask) {
		return errors.New("layers: gates need a 0/1 first mask")
	}
	r, c := first.Mask.Dims()
	first.Gate = graph.NewParam("made0.gate", nil, r, c)
	v := first.Gate.Data()
	z := logitOf(init)
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			if first.Mask.At(i, j) != 0 {
				v[i*c+j] = z
			}
		}
	}
	return l.ValidateGates()
}

// ValidateGates checks the shapes and values of the gate logits of every map.
func (l *AffineInjection) ValidateGates() error {
	for k, dn := range l.Net.Layers {
		if err := dn.validateGate(k); err != nil {
			return err
		}
	}
	return nil
}

// Soft reports whether any map has learnable gates.
func (l *AffineInjection) Soft() bool {
	for _, dn := range l.Net.Layers {
		if dn.Gate != nil {
			return true
		}
	}
	return false
}

// MaskSum adds the penalty unit of the gates to g: (D/H)·Σ Mask ⊙ σ(G) over every gated map
// (H its width), scaled so that fully open gates on a MADE's first map cost about D²/2, as a full
// injection mask (D(D-1)/2). Without gates it is a constant 0.
func (l *AffineInjection) MaskSum(g *graph.Graph) *G.Node {
	var sum *G.Node
	for _, dn := range l.Net.Layers {
		if dn.Gate == nil {
			continue
		}
		_, h := dn.Mask.Dims()
		s := G.Must(G.Mul(G.Must(G.Sum(dn.maskNode(g))), g.Scalar(float64(l.Dim())/float64(h))))
		if sum == nil {
			sum = s
		} else {
			sum = G.Must(G.Add(sum, s))
		}
	}
	if sum == nil {
		return g.Scalar(0)
	}
	return sum
}

// Harden prunes the gated weights whose gate σ(G) is below thr and folds the gates of the others
// into the weights (W ← W ⊙ σ(G)), so the kept weights act exactly as before; the gates are
// dropped. It returns the gated weights kept.
func (l *AffineInjection) Harden(thr float64) int {
	kept := 0
	for k := range l.Net.Layers {
		dn := &l.Net.Layers[k]
		if dn.Gate == nil {
			continue
		}
		gate := softValues(dn.Gate, dn.Mask)
		w := dn.W.Data()
		r, c := gate.Dims()
		for i := 0; i < r; i++ {
			for j := 0; j < c; j++ {
				v := gate.At(i, j)
				switch {
				case v == 0:
				case v >= thr:
					w[i*c+j] *= v
					kept++
				default:
					dn.Mask.Set(i, j, 0)
				}
			}
		}
		dn.Gate = nil
		dn.W.Touch() // W and Mask were changed in place
	}
	return kept
}

// Strength returns the D×D normalized path strength of the conditioner, a soft dependency matrix
// for inspecting gated (or trained) layers: with A_k = |W_k ⊙ M_k| (the effective mask, plus the
// identity for residual maps) and R = A_1·A_2···A_L restricted to the data inputs,
// P[i][j] = R[j][i] + R[j][D+i] (the paths from input j to s_i and t_i), divided by its largest
// entry. It is zero wherever Dependency(Order) is.
func (l *AffineInjection) Strength() *mat.Dense {
	d := l.Dim()
	var r *mat.Dense
	for _, dn := range l.Net.Layers {
		a := mat.DenseCopyOf(dn.W.Mat())
		a.Apply(func(_, _ int, v float64) float64 { return math.Abs(v) }, a)
		if m := dn.EffectiveMask(); m != nil {
			a.MulElem(a, m)
		}
		if dn.Residual {
			n, _ := a.Dims()
			for i := 0; i < n; i++ {
				a.Set(i, i, a.At(i, i)+1)
			}
		}
		if r == nil {
			r = a
			continue
		}
		var p mat.Dense
		p.Mul(r, a)
		r = &p
	}
	out := mat.NewDense(d, d, nil)
	dep := masks.Dependency(l.Order)
	top := 0.0
	for i := 0; i < d; i++ {
		for j := 0; j < d; j++ {
			if dep.At(i, j) != 0 {
				v := 0.0
				for part := range l.Elementwise.PerDim() {
					v += r.At(j, part*d+i)
				}
				out.Set(i, j, v)
				top = math.Max(top, v)
			}
		}
	}
	if top > 0 {
		out.Scale(1/top, out)
	}
	return out
}
