package layers

import (
	"slices"
	"sync/atomic"

	"github.com/affineflow/flow/graph"
	"github.com/affineflow/flow/masks"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// The effective weights of a Net, cached per parameter version.
//
// Every numeric call (Transform, Inverse, Eval) needs each map's effective weights W ⊙ M (M the
// mask; with gates M ⊙ σ(Gate)), their column chunks and the biases: an effNet. They depend only on
// W, B, Gate, Mask, Residual and Act, so a Net keeps the effNet it last computed together with the
// key it was computed from: per map the W, B, Gate and Mask pointers, the versions of W, B and
// Gate (graph.Param.Version) and Residual, and Act. A call whose key is current uses the cached
// effNet; otherwise it computes a new one and publishes it (an atomic pointer: the row blocks that
// Flow runs in parallel may compute it twice, never see it half-built).
//
// The key is checked per map (~25 ns for three maps); one stored sum of the versions per Net
// would save ~20 ns a call but miss a replaced Param or Mask (BenchmarkCacheCheck).
//
// Invalidation rule: whoever writes a parameter's values calls its Touch afterwards (the trainer's
// Adam step, restoring weights and checkpoints, ActNorm's InitFromData, Harden and the model-file
// loader do). Replacing a Param or a Mask by another needs nothing; a Mask changed in place needs
// a Touch of its map's W (the effective weight W ⊙ M changed).
//
// The cached matrices are shared and read-only: callers must not write into them. The cache holds
// one copy of every weight matrix (W ⊙ M), and a transposed one once a call has fewer than
// smallRows rows, so a Net used numerically takes two to three times the memory of its weights.

// paramKey is a parameter and the version its derived values were computed at.
type paramKey struct {
	p *graph.Param
	v uint64
}

// keyOf returns p's key now (a nil p has the zero version).
func keyOf(p *graph.Param) paramKey {
	if p == nil {
		return paramKey{}
	}
	return paramKey{p, p.Version()}
}

// current reports whether k is p's key now.
func (k paramKey) current(p *graph.Param) bool { return k == keyOf(p) }

// mapKey is what one map's effective weights are computed from.
type mapKey struct {
	w, b, gate paramKey
	mask       *mat.Dense
	residual   bool
}

func keyOfMap(l Dense) mapKey {
	return mapKey{w: keyOf(l.W), b: keyOf(l.B), gate: keyOf(l.Gate), mask: l.Mask, residual: l.Residual}
}

// weightCache is an effNet with the key it was computed from, and the weights as gonum matrices
// (views of the same memory) for Eval.
type weightCache struct {
	maps []mapKey
	act  Activation
	eff  *effNet
	ws   []*mat.Dense
}

// current reports whether c was computed from n's present parameters and structure.
func (c *weightCache) current(n *Net) bool {
	if c == nil || c.act != n.Act || len(c.maps) != len(n.Layers) {
		return false
	}
	for k, l := range n.Layers {
		m := c.maps[k]
		if m.mask != l.Mask || m.residual != l.Residual || !m.w.current(l.W) || !m.b.current(l.B) || !m.gate.current(l.Gate) {
			return false
		}
	}
	return true
}

// cached returns n's weight cache, computing it when a parameter or the structure changed since.
// The versions are read before the values, so a write during the computation leaves a stale key.
func (n *Net) cached() *weightCache {
	if c := n.cache.Load(); c.current(n) {
		return c
	}
	c := &weightCache{act: n.Act, maps: make([]mapKey, len(n.Layers))}
	for k, l := range n.Layers {
		c.maps[k] = keyOfMap(l)
	}
	c.eff = n.computeEffective()
	c.eff.serial = effSerial.Add(1)
	c.ws = make([]*mat.Dense, len(c.eff.w))
	for k, w := range c.eff.w {
		c.ws[k] = mat.NewDense(w.Rows, w.Cols, w.Data)
	}
	n.cache.Store(c)
	return c
}

// effSerial numbers the effNets, so that what is derived from one (the inverse schedule) can name
// it without keeping it alive.
var effSerial atomic.Uint64

// effective returns the effective weights of the current parameters (cached, read-only).
func (n *Net) effective() *effNet { return n.cached().eff }

// weights returns the effective weight matrices W ⊙ M of the current parameters for Eval
// (cached, read-only; Weights returns copies).
func (n *Net) weights() []*mat.Dense { return n.cached().ws }

// heapGeneral returns a zero rows×cols contiguous matrix in fresh memory.
func heapGeneral(rows, cols int) blas64.General {
	return blas64.General{Rows: rows, Cols: cols, Stride: cols, Data: make([]float64, rows*cols)}
}

// The factors of a Linear map, cached the same way: Transform needs W = P·L·U (a D³ product),
// Inverse the factors L and U and the permutation π of P, all functions of Lower, Upper, LogDiag,
// P, Sign and Blocks. The key holds the three parameters' keys, P's pointer and copies of Sign
// and Blocks; the bias is read at every call.

// linearCache is a Linear map's factors, weight and permutation with the key they were computed
// from. Read-only.
type linearCache struct {
	lower, upper, logDiag paramKey
	p                     *mat.Dense
	sign                  []float64
	blocks                masks.Degrees
	lo, up, w             *mat.Dense
	perm                  []int
}

func (c *linearCache) current(l *Linear) bool {
	return c != nil && c.lower.current(l.Lower) && c.upper.current(l.Upper) && c.logDiag.current(l.LogDiag) &&
		c.p == l.P && slices.Equal(c.sign, l.Sign) && slices.Equal(c.blocks, l.Blocks)
}

// cached returns l's factors, computing them when a parameter or the structure changed since.
func (l *Linear) cached() *linearCache {
	if c := l.cache.Load(); c.current(l) {
		return c
	}
	c := &linearCache{lower: keyOf(l.Lower), upper: keyOf(l.Upper), logDiag: keyOf(l.LogDiag), p: l.P,
		sign: slices.Clone(l.Sign), blocks: slices.Clone(l.Blocks)}
	c.lo, c.up = l.factors()
	d := l.Dim()
	c.w = mat.NewDense(d, d, nil)
	c.w.Product(l.P, c.lo, c.up)
	c.perm = l.permutation()
	l.cache.Store(c)
	return c
}
