package graph

import (
	"fmt"
	"slices"

	"github.com/affineflow/flow/internal/parallel"
	"gonum.org/v1/gonum/mat"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Graph is a gorgonia expression graph plus the parameter nodes created in it. Each Param has at
// most one node per Graph, bound to the Param's own tensor (shared memory, no copy).
type Graph struct {
	*G.ExprGraph
	nodes  map[*Param]*G.Node
	params []*Param
	consts int
	// noGrad holds the data inputs and constants: leaves that never need a gradient, so the
	// fused ops skip the backward work for them.
	noGrad map[*G.Node]bool
	// Plain makes the layers build every map from gorgonia's own ops instead of the fused ones
	// (Dense, Hadamard, Affine): the reference path the fused path is tested against.
	Plain bool
	// Float32 makes every value of the graph float32 (set it before adding nodes): inputs,
	// constants, and float32 copies of the float64 parameters (see Param, SyncParams).
	Float32 bool
	// Private gives a float64 graph copies of the parameters' values instead of their memory
	// (refreshed by SyncParams, as float32's): for graphs that run at the same time on one model
	// (trainer's shards), since gorgonia's Mul transposes a weight operand in place in its backward
	// pass (ENGINE.md).
	Private bool
	// Beside is how many graphs run at the same time as this one's runs, itself included
	// (trainer's shards); its fused products then use GOMAXPROCS/Beside goroutines each instead
	// of GOMAXPROCS (0 or 1: it runs alone). Set it before adding nodes.
	Beside    int
	shadows   []*tensor.Dense          // the float32 or private copies, in the order of params
	masked    []*bool                  // the value of parameter k in g is W ⊙ 1_support (see SyncSpans)
	support   map[*Param][]Span        // Restrict's spans
	bands     map[*mat.Dense]*Bands    // BandsOf's
	binary    map[*mat.Dense]bool      // Binary's
	permBands map[*mat.Dense]permBands // BandsOfCols'
}

// New returns an empty graph.
func New() *Graph {
	return &Graph{ExprGraph: G.NewGraph(), nodes: map[*Param]*G.Node{}, noGrad: map[*G.Node]bool{}}
}

// Param returns the node of p in g, creating it on first use. In a float64 graph the node's value
// is p's tensor (shared memory); in a float32 or Private graph it is a copy, refreshed from p by
// SyncParams.
func (g *Graph) Param(p *Param) *G.Node {
	if n, ok := g.nodes[p]; ok {
		return n
	}
	name := fmt.Sprintf("p%d_%s", len(g.params), p.Name)
	v := p.T
	if g.Float32 || g.Private {
		v = tensor.New(tensor.WithShape(p.T.Shape().Clone()...), tensor.Of(g.dtype()))
		g.shadows = append(g.shadows, v)
	}
	g.masked = append(g.masked, new(bool))
	var n *G.Node
	if s := p.T.Shape(); len(s) == 1 {
		n = G.NewVector(g.ExprGraph, g.dtype(), G.WithShape(s...), G.WithName(name), G.WithValue(v))
	} else {
		n = G.NewMatrix(g.ExprGraph, g.dtype(), G.WithShape(s...), G.WithName(name), G.WithValue(v))
	}
	g.nodes[p] = n
	g.params = append(g.params, p)
	if len(g.shadows) == len(g.params) {
		g.sync(len(g.params)-1, 0, p.Len())
	}
	return n
}

// SyncParams copies the parameters' current values into their float32 or private nodes (a
// float32 or Private graph only; a float64 graph shares their memory). Call it after the
// parameters changed, before a run.
func (g *Graph) SyncParams() { g.SyncSpans(nil) }

// SyncSpans is SyncParams copying of each parameter p only the values in spans(p) (nil spans, or
// a nil result: all of them): for an optimizer that wrote only those spans since the last sync
// (one restricted to the masks' supports, Restrict). The spans go to the goroutines in pieces of
// about parallel.Chunk values.
//
// The copy of a restricted parameter (Restrict) gets only its support, zeros elsewhere: the W ⊙ M
// of a 0/1 mask, which OnSpans then passes on as it is instead of copying it (every use of p is
// through the mask, so the values outside do not matter). It stays so while spans(p) is its
// support; other spans make OnSpans copy again until the next sync of all of it.
//
// A float64 graph has no copies, and SyncSpans copies nothing. It checks whether a restricted
// parameter is zero off its support (its layer initializes it so, and its gradient and Adam's
// steps are zero there), when spans(p) is nil; OnSpans passes on the ones that are, while
// spans(p) stays their support.
func (g *Graph) SyncSpans(spans func(*Param) []Span) { g.SyncSpansWritten(spans, nil) }

// SyncSpansWritten is SyncSpans for a caller that keeps some float32 copies up to date itself
// (Copy32): a parameter p with written(p) is not copied, its copy already holding float32 of
// p's values in spans(p) (a nil written: none is). The copy of a restricted parameter that
// SyncSpans would first clear (a nil spans(p)) is copied all the same.
func (g *Graph) SyncSpansWritten(spans func(*Param) []Span, written func(*Param) bool) {
	sel := make([][]Span, len(g.params)) // spans(p); nil: all of it
	skip := make([]bool, len(g.params))  // written(p), and its copy not cleared
	for k, p := range g.params {
		skip[k] = written != nil && written(p)
		if spans != nil {
			sel[k] = spans(p)
		}
		sup, ok := g.support[p]
		switch {
		case ok && sel[k] == nil && len(g.shadows) > 0: // the support is copied below, zeros elsewhere
			clearValues(g.shadows[k].Data())
			*g.masked[k], skip[k] = true, false
		case ok && sel[k] == nil:
			*g.masked[k] = zeroOff(p.Data(), sup)
		case !ok || !slices.Equal(sel[k], sup):
			*g.masked[k] = false
		}
	}
	if len(g.shadows) == 0 {
		return
	}
	type piece struct {
		k  int
		ss []Span // of parameter k: a run of its spans, or one cut from a long span
	}
	var ps []piece
	for k, v := range g.shadows {
		if skip[k] {
			continue
		}
		ss := sel[k]
		if ss == nil && *g.masked[k] {
			ss = g.support[g.params[k]]
		}
		if ss == nil {
			ss = []Span{{0, v.Len()}}
		}
		from, size := 0, 0 // the run ss[from:i] of size values
		for i, sp := range ss {
			if n := sp.Hi - sp.Lo; n > parallel.Chunk { // cut on its own
				if from < i {
					ps = append(ps, piece{k, ss[from:i]})
				}
				for lo := sp.Lo; lo < sp.Hi; lo += parallel.Chunk {
					ps = append(ps, piece{k, []Span{{lo, min(lo+parallel.Chunk, sp.Hi)}}})
				}
				from, size = i+1, 0
				continue
			}
			if size += sp.Hi - sp.Lo; size >= parallel.Chunk {
				ps = append(ps, piece{k, ss[from : i+1]})
				from, size = i+1, 0
			}
		}
		if from < len(ss) {
			ps = append(ps, piece{k, ss[from:]})
		}
	}
	// the values, once per parameter: Data boxes a slice header, an allocation a call
	dst, src := make([]any, len(g.shadows)), make([][]float64, len(g.shadows))
	for k, v := range g.shadows {
		dst[k], src[k] = v.Data(), g.params[k].Data()
	}
	parallel.For(len(ps), func(i int) {
		for _, sp := range ps[i].ss {
			copyValues(dst[ps[i].k], src[ps[i].k], sp.Lo, sp.Hi)
		}
	})
}

// Copy32 returns the values of p's float32 copy in g: nil unless g is a float32 graph in which p
// has a node. A writer that keeps them equal to float32 of p's values where it writes p (trainer's
// Adam) tells the next sync so (SyncSpansWritten).
func (g *Graph) Copy32(p *Param) []float32 {
	if !g.Float32 {
		return nil
	}
	for k, q := range g.params {
		if q == p {
			return g.shadows[k].Data().([]float32)
		}
	}
	return nil
}

// sync copies values [lo, hi) of parameter k into its copy.
func (g *Graph) sync(k, lo, hi int) { copyValues(g.shadows[k].Data(), g.params[k].Data(), lo, hi) }

// copyValues copies src[lo:hi] to dst ([]float32 or []float64).
func copyValues(dst any, src []float64, lo, hi int) {
	switch d := dst.(type) {
	case []float32:
		toFloat32(d[lo:hi], src[lo:hi])
	case []float64:
		copy(d[lo:hi], src[lo:hi])
	}
}

// clearValues sets the values of d ([]float32 or []float64) to zero.
func clearValues(d any) {
	switch d := d.(type) {
	case []float32:
		clear(d)
	case []float64:
		clear(d)
	}
}

// maskedValue returns the flag that the value of the parameter whose node is n is W ⊙ 1_spans
// (SyncSpans), or nil when n is not a parameter's node or spans are not its support.
func (g *Graph) maskedValue(n *G.Node, spans []Span) *bool {
	for k, p := range g.params {
		if g.nodes[p] != n {
			continue
		}
		if sup, ok := g.support[p]; ok && slices.Equal(sup, spans) {
			return g.masked[k]
		}
		return nil
	}
	return nil
}

// zeroOff reports whether d is zero outside spans (sorted, disjoint).
func zeroOff(d []float64, spans []Span) bool {
	zero := true
	eachGap(spans, len(d), func(lo, hi int) {
		for _, v := range d[lo:hi] {
			zero = zero && v == 0
		}
	})
	return zero
}

// eachGap calls f(lo, hi) for each range of [0, n) outside spans (sorted, disjoint, within n).
func eachGap(spans []Span, n int, f func(lo, hi int)) {
	at := 0
	for _, sp := range spans {
		if at < sp.Lo {
			f(at, sp.Lo)
		}
		at = sp.Hi
	}
	if at < n {
		f(at, n)
	}
}

func toFloat32(dst []float32, src []float64) {
	for i, v := range src[:len(dst)] {
		dst[i] = float32(v)
	}
}

func (g *Graph) dtype() tensor.Dtype {
	if g.Float32 {
		return tensor.Float32
	}
	return tensor.Float64
}

// Params returns the parameters that have nodes in g, in creation order.
func (g *Graph) Params() []*Param { return g.params }

// Node returns p's node in g, or nil when p is not in g.
func (g *Graph) Node(p *Param) *G.Node { return g.nodes[p] }

// Nodes returns the nodes of ps, in the same order; it panics when one is not in g.
func (g *Graph) Nodes(ps []*Param) G.Nodes {
	out := make(G.Nodes, len(ps))
	for i, p := range ps {
		n := g.nodes[p]
		if n == nil {
			panic(fmt.Sprintf("graph: param %s has no node in this graph", p.Name))
		}
		out[i] = n
	}
	return out
}

// Input returns a new rows×cols input node (its value is set with G.Let before each run).
func (g *Graph) Input(name string, rows, cols int) *G.Node {
	n := G.NewMatrix(g.ExprGraph, g.dtype(), G.WithShape(rows, cols), G.WithName(name))
	g.noGrad[n] = true
	return n
}

// Const returns a constant matrix node holding a copy of m.
func (g *Graph) Const(m mat.Matrix) *G.Node {
	r, c := m.Dims()
	data := make([]float64, r*c)
	dst := mat.NewDense(r, c, data)
	dst.Copy(m)
	return g.constant(data, r, c)
}

// ConstVec returns a constant vector node holding a copy of v.
func (g *Graph) ConstVec(v []float64) *G.Node {
	return g.constant(append([]float64(nil), v...), len(v))
}

// constant returns a constant node of the given shape holding data (converted to the graph's
// dtype).
func (g *Graph) constant(data []float64, shape ...int) *G.Node {
	var v *tensor.Dense
	if g.Float32 {
		d32 := make([]float32, len(data))
		toFloat32(d32, data)
		v = tensor.New(tensor.WithShape(shape...), tensor.WithBacking(d32))
	} else {
		v = tensor.New(tensor.WithShape(shape...), tensor.WithBacking(data))
	}
	g.consts++
	name := G.WithName(fmt.Sprintf("c%d", g.consts))
	var n *G.Node
	if len(shape) == 1 {
		n = G.NewVector(g.ExprGraph, g.dtype(), G.WithShape(shape...), name, G.WithValue(v))
	} else {
		n = G.NewMatrix(g.ExprGraph, g.dtype(), G.WithShape(shape...), name, G.WithValue(v))
	}
	g.noGrad[n] = true
	return n
}

// Scalar returns a constant scalar node of the graph's dtype.
func (g *Graph) Scalar(v float64) *G.Node {
	if g.Float32 {
		return G.NewConstant(float32(v))
	}
	return G.NewConstant(v)
}

// ScalarLike returns a constant scalar node of x's dtype (for code that has a node, not its
// graph).
func ScalarLike(x *G.Node, v float64) *G.Node {
	if isFloat32(x) {
		return G.NewConstant(float32(v))
	}
	return G.NewConstant(v)
}
