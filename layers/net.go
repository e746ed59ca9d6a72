package layers

import (
	"fmt"
	"math"
	"math/rand"
	"sync/atomic"

	"github.com/affineflow/flow/graph"
	"gonum.org/v1/gonum/mat"
	G "gorgonia.org/gorgonia"
)

// Dense is one (optionally masked) affine map of a conditioner network: h·(W ⊙ Mask) + B.
type Dense struct {
	W, B     *graph.Param // W: in×out, B: out
	Mask     *mat.Dense   // in×out, 0/1 or soft; nil means unmasked
	Residual bool         // h ← h + act(...) instead of h ← act(...); needs in == out
	// Gate, when set, holds the logits G (in×out) of learnable gates on the allowed weights: the
	// map applies the mask Mask ⊙ σ(G) (Mask 0/1, see gates.go); nil: no gates.
	Gate *graph.Param
}

// PathMasks returns the masks of the maps as masks.Check sees them: a residual map also connects
// each unit to itself (h ← h + act(...)), so its mask gets ones on the diagonal. Each map's Mask
// must be set and, for a residual map, square.
func PathMasks(ds []Dense) []*mat.Dense {
	ms := make([]*mat.Dense, len(ds))
	for k, dn := range ds {
		ms[k] = dn.Mask
		if dn.Residual {
			ms[k] = mat.DenseCopyOf(dn.Mask)
			r, _ := ms[k].Dims()
			for i := range r {
				ms[k].Set(i, i, 1)
			}
		}
	}
	return ms
}

// Net is a stack of Dense maps with an activation after every map but the last.
//
// The numeric paths cache the effective weights W ⊙ Mask per parameter version (weightcache.go):
// after writing a parameter's values call its Touch, after changing a Mask in place Touch its
// map's W. A Net must not be copied after first use (copy Layers and Act into a new one).
type Net struct {
	Layers []Dense
	Act    Activation

	cache atomic.Pointer[weightCache]
}

// newDense returns an in×out Dense with PyTorch's default initialization, U(-1/√in, 1/√in) for W
// and B (zero when rng is nil), and W zero where mask is.
func newDense(name string, in, out int, mask *mat.Dense, rng *rand.Rand) Dense {
	w := graph.NewParam(name+".W", nil, in, out)
	b := graph.NewParam(name+".b", nil, out)
	if rng != nil {
		bound := 1 / math.Sqrt(float64(in))
		for _, p := range []*graph.Param{w, b} {
			d := p.Data()
			for i := range d {
				d[i] = bound * (2*rng.Float64() - 1)
			}
		}
	}
	if mask != nil { // no effect on W ⊙ M, and the training graph's W ⊙ M is then W (graph.OnSpans)
		for i := range in {
			for j := range out {
				if mask.At(i, j) == 0 {
					w.Data()[i*out+j] = 0
				}
			}
		}
	}
	return Dense{W: w, B: b, Mask: mask}
}

// MaskedMaps returns one Dense map per mask of ms (fan-in × fan-out each), named prefix0,
// prefix1, ..., with PyTorch's default initialization from rng (zero when rng is nil).
func MaskedMaps(prefix string, ms []*mat.Dense, rng *rand.Rand) []Dense {
	ds := make([]Dense, len(ms))
	for k, m := range ms {
		in, out := m.Dims()
		ds[k] = newDense(fmt.Sprintf("%s%d", prefix, k), in, out, m, rng)
	}
	return ds
}

// Params returns W and B of every map (and its gate logits, if any).
func (n *Net) Params() []*graph.Param {
	ps := make([]*graph.Param, 0, 2*len(n.Layers))
	for _, l := range n.Layers {
		ps = append(ps, l.W, l.B)
		if l.Gate != nil {
			ps = append(ps, l.Gate)
		}
	}
	return ps
}

// Node adds the network applied to h (rows are samples) to g: per map one W ⊙ M node and one
// fused dense node (graph.Dense: the product, bias, activation and residual sum), or, when
// g.Plain, the same maps from gorgonia's own ops. W ⊙ M is formed on the mask's support only:
// W copied there for a 0/1 mask (graph.OnSpans), the products there for gates
// (graph.HadamardSpans), the whole product when the columns are reordered (graph.HadamardCols).
func (n *Net) Node(g *graph.Graph, h *G.Node) *G.Node { return n.NodeCols(g, h, nil) }

// NodeCols is Node with the outputs of the last map in the order perm (output j is its column
// perm[j]; nil: as they are). The fused path reorders W ⊙ M and B of the last map before its
// product (graph.HadamardCols, PermuteCols), so that the product's bands follow the new order
// (graph.BandsOfCols); the plain path reorders the output.
func (n *Net) NodeCols(g *graph.Graph, h *G.Node, perm []int) *G.Node {
	if g.Plain {
		if h = n.plainNode(g, h); perm != nil {
			h = g.PermuteCols(h, perm)
		}
		return h
	}
	for k, l := range n.Layers {
		last := k == len(n.Layers)-1
		w, b := g.Param(l.W), g.Param(l.B)
		var bands *graph.Bands
		var order []int // the last map's
		if last {
			order = perm
		}
		switch {
		case l.Mask != nil:
			g.Restrict(l.W, l.Mask)
			switch {
			case order == nil && l.Gate == nil && g.Binary(l.Mask):
				w = g.OnSpans(w, g.Spans(l.W)) // W ⊙ M: W on the mask's ones
			case order == nil:
				w = g.HadamardSpans(w, l.maskNode(g), g.Spans(l.W))
			default:
				w = g.HadamardCols(w, l.maskNode(g), order)
			}
			if bands = g.BandsOf(l.Mask); order != nil {
				bands = g.BandsOfCols(l.Mask, order)
			}
		case order != nil:
			w = g.PermuteCols(w, order)
		}
		if order != nil {
			b = g.PermuteCols(b, order)
		}
		var act graph.Activation
		if !last {
			act = n.Act.orDefault()
		}
		h = g.Dense(h, w, b, act, l.Residual && act != nil, bands)
	}
	return h
}

// plainNode is Node from gorgonia's ops: the reference path.
func (n *Net) plainNode(g *graph.Graph, h *G.Node) *G.Node {
	for k, l := range n.Layers {
		var m *G.Node
		if l.Mask != nil {
			m = l.maskNode(g)
			g.Restrict(l.W, l.Mask)
		}
		z := graph.MaskedDense(h, g.Param(l.W), m, g.Param(l.B))
		if k == len(n.Layers)-1 {
			return z
		}
		z = n.Act.Node(z)
		if l.Residual {
			z = G.Must(G.Add(h, z))
		}
		h = z
	}
	return h
}

// Weights returns the effective weight matrices W ⊙ Mask for Eval, fresh copies of the cached
// ones (the caller may write into them).
func (n *Net) Weights() []*mat.Dense {
	ws := make([]*mat.Dense, len(n.Layers))
	for k, w := range n.weights() {
		ws[k] = mat.DenseCopyOf(w)
	}
	return ws
}

// Eval is the numeric twin of Node, with the effective weights ws from Weights (it does not write
// into them): for each map
// z = h·ws[k] + b (one BLAS gemm on the raw slices), then the activation (and the residual sum).
func (n *Net) Eval(ws []*mat.Dense, h *mat.Dense) *mat.Dense {
	rows, _ := h.Dims()
	hr := h.RawMatrix()
	var z *mat.Dense
	for k, l := range n.Layers {
		w := ws[k].RawMatrix()
		z = mat.NewDense(rows, w.Cols, nil)
		zr := z.RawMatrix()
		fillRows(zr, l.B.Data())
		gemmAdd(hr, 0, w.Rows, w, 0, w.Cols, zr, 0)
		if k == len(n.Layers)-1 {
			return z
		}
		n.Act.Apply(zr.Data)
		if l.Residual {
			addInto(zr, hr, 0, w.Cols)
		}
		hr = zr
	}
	return z
}

func checkWidths(widths []int) error {
	for _, w := range widths {
		if w < 1 {
			return fmt.Errorf("layers: hidden width %d, want >= 1", w)
		}
	}
	return nil
}

// addRow adds v to every row of a contiguous matrix z.
func addRow(z *mat.Dense, v []float64) {
	raw := z.RawMatrix()
	for r := 0; r < raw.Rows; r++ {
		row := raw.Data[r*raw.Stride : r*raw.Stride+raw.Cols]
		for j := range row {
			row[j] += v[j]
		}
	}
}
