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

// Learnable soft masks. An Injection with Logits has the mask
//
//	M = σ(L) ⊙ S,
//
// S the 0/1 support held in Mask (the order's strictly lower-triangular support or a part of it)
// and L learned logits. M stays in [0,1] and is exactly 0 outside S whatever L is, so the layer
// stays invertible with log-det Σ s at every step of training. An AffineInjection with Gates has
// a learnable gate σ(G) on every allowed weight of its first map (see gates.go).
//
// σ is computed as ½ + ½·tanh(x/2) in the graph and in the numeric paths alike: gorgonia's
// Sigmoid returns exactly 1 (with a zero gradient) above 19.

// SoftMasked is a layer with a learnable soft mask: the unit of the sparsity penalty and what
// can be hardened after training.
type SoftMasked interface {
	Layer
	// MaskSum adds the sum of the layer's soft mask values to g, a scalar node: λ·MaskSum is the
	// sparsity penalty.
	MaskSum(g *graph.Graph) *G.Node
	// Soft reports whether the layer has learnable mask parameters now (false after Harden).
	Soft() bool
	// Harden replaces the soft mask by a fixed 0/1 one keeping the entries whose soft value is
	// at least thr, and drops the learnable mask parameters. It returns the entries kept.
	Harden(thr float64) int
}

var (
	_ SoftMasked = (*Injection)(nil)
	_ SoftMasked = (*AffineInjection)(nil)
)

// DefaultMaskInit is the initial soft mask value σ(L) of learnable masks and gates: nearly open,
// so that training prunes what the data do not need (measured in experiments/softmask: from 0.5,
// useful entries stayed below a 0.5 threshold much longer).
const DefaultMaskInit = 0.9

// sigmoid is σ(x) = ½ + ½·tanh(x/2), the numeric twin of sigmoidNode.
func sigmoid(x float64) float64 { return 0.5 + 0.5*math.Tanh(x*0.5) }

// sigmoidNode adds σ(x) = ½ + ½·tanh(x/2) to the graph, elementwise.
func sigmoidNode(x *G.Node) *G.Node {
	half := graph.ScalarLike(x, 0.5)
	t := G.Must(G.Tanh(G.Must(G.Mul(x, half))))
	return G.Must(G.Add(G.Must(G.Mul(t, half)), half))
}

// logitOf returns L with σ(L) = p; p outside (0, 1) gives DefaultMaskInit's logit.
func logitOf(p float64) float64 {
	if !(p > 0 && p < 1) {
		p = DefaultMaskInit
	}
	return math.Log(p / (1 - p))
}

// softValues returns σ(logits) ⊙ support (support 0/1), a fresh matrix.
func softValues(logits *graph.Param, support *mat.Dense) *mat.Dense {
	r, c := support.Dims()
	m := mat.NewDense(r, c, nil)
	lv := logits.Data()
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			if s := support.At(i, j); s != 0 {
				m.Set(i, j, s*sigmoid(lv[i*c+j]))
			}
		}
	}
	return m
}

// softNode adds σ(logits) ⊙ support to g.
func softNode(g *graph.Graph, logits *graph.Param, support *mat.Dense) *G.Node {
	return G.Must(G.HadamardProd(sigmoidNode(g.Param(logits)), g.Const(support)))
}

// learnMask turns the layer's mask into the support S of a learnable mask with σ(L) = init on S
// (logits outside S are unused and start at 0).
func (l *Injection) learnMask(init float64) {
	d, w := l.Dim(), l.Dim()+l.Context
	l.Mask = masks.Support(l.Mask)
	l.Logits = graph.NewParam("inj.mask_logits", nil, d, w)
	v := l.Logits.Data()
	z := logitOf(init)
	for i := 0; i < d; i++ {
		for j := 0; j < w; j++ {
			if l.Mask.At(i, j) != 0 {
				v[i*w+j] = z
			}
		}
	}
}

func (l *Injection) validateLogits() error {
	if l.Logits == nil {
		return nil
	}
	d, w := l.Dim(), l.Dim()+l.Context
	if s := l.Logits.Shape(); len(s) != 2 || s[0] != d || s[1] != w {
		return fmt.Errorf("layers: injection mask logits have shape %v, want %d×%d", s, d, w)
	}
	if !graph.IsBinary(l.Mask) {
		return errors.New("layers: an injection layer with mask logits needs a 0/1 support as its Mask")
	}
	for k, v := range l.Logits.Data() {
		if math.IsNaN(v) {
			return fmt.Errorf("layers: injection mask logit (%d, %d) is NaN", k/w, k%w)
		}
	}
	return nil
}

// Soft reports whether the layer's mask is learnable.
func (l *Injection) Soft() bool { return l.Logits != nil }

// EffectiveMask returns the mask the layer applies: Mask for a fixed mask (not a copy), or a
// fresh σ(Logits) ⊙ Mask computed from the current logits.
func (l *Injection) EffectiveMask() *mat.Dense {
	if l.Logits == nil {
		return l.Mask
	}
	return softValues(l.Logits, l.Mask)
}

// maskCache is σ(Logits) ⊙ Mask computed from one version of the logits and one Mask (compared
// by pointer, as a Net's masks: see weightcache.go). Read-only.
type maskCache struct {
	logits paramKey
	mask   *mat.Dense
	m      *mat.Dense
}

// effectiveMask is EffectiveMask for the numeric paths: Mask, or σ(Logits) ⊙ Mask cached per
// version of the logits. The caller must not write into it.
func (l *Injection) effectiveMask() *mat.Dense {
	if l.Logits == nil {
		return l.Mask
	}
	if c := l.mask.Load(); c != nil && c.mask == l.Mask && c.logits.current(l.Logits) {
		return c.m
	}
	c := &maskCache{logits: keyOf(l.Logits), mask: l.Mask}
	c.m = softValues(l.Logits, l.Mask)
	l.mask.Store(c)
	return c.m
}

// maskNode adds the effective D×(D+C) mask to g: a constant, or σ(L) ⊙ S.
func (l *Injection) maskNode(g *graph.Graph) *G.Node {
	if l.Logits == nil {
		return g.Const(l.Mask)
	}
	return softNode(g, l.Logits, l.Mask)
}

// expandedMaskNode adds the (D+C)×DH matrix E[j, iH+k] = M[i][j] to g: a constant for a fixed mask,
// Mᵀ·Q for a learnable one, with Q[i, iH+k] = 1 (each product has exactly one non-zero term, so
// E holds the mask values exactly).
func (l *Injection) expandedMaskNode(g *graph.Graph, h int) *G.Node {
	if l.Logits == nil {
		return g.Const(l.expandedMask(h))
	}
	d := l.Dim()
	q := mat.NewDense(d, d*h, nil)
	for i := 0; i < d; i++ {
		for k := 0; k < h; k++ {
			q.Set(i, i*h+k, 1)
		}
	}
	return G.Must(G.Mul(G.Must(G.Transpose(l.maskNode(g))), g.Const(q)))
}

// MaskSum adds Σ M over the learnable mask to g (a constant 0 for a fixed mask).
func (l *Injection) MaskSum(g *graph.Graph) *G.Node {
	if l.Logits == nil {
		return g.Scalar(0)
	}
	return G.Must(G.Sum(l.maskNode(g)))
}

// Harden fixes the mask to the 0/1 matrix of the effective entries >= thr (inside the support)
// and drops the logits; a fixed mask is thresholded the same way. It returns the entries kept.
func (l *Injection) Harden(thr float64) int {
	m := l.EffectiveMask()
	h := masks.Harden(m, thr)
	h.MulElem(h, masks.Support(m)) // a zero entry is never kept, whatever thr
	return l.setHard(h)
}

// HardenTopK fixes the mask to the k largest effective entries of each row (masks.TopK) and
// drops the logits. It returns the entries kept.
func (l *Injection) HardenTopK(k int) int {
	return l.setHard(masks.TopK(l.EffectiveMask(), k))
}

func (l *Injection) setHard(h *mat.Dense) int {
	l.Mask, l.Logits = h, nil
	return int(mat.Sum(h))
}
