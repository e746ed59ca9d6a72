package layers

import (
	"math"
	"slices"

	"github.com/affineflow/flow/internal/vmath"
	"github.com/affineflow/flow/masks"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// The incremental MADE inverse.
//
// Give every unit an effective degree: an input has its order's degree, a hidden unit the largest
// effective degree among the units its mask row connects it to (−∞ if none; with a residual map
// also its own unit below). A hidden unit of effective degree m depends only on inputs of degree
// <= m, so once the inputs of degree <= m are known its value is final. With MADE's hidden degrees
// sorted ascending the effective degrees are non-decreasing along each hidden layer, so before the
// step that solves the inputs of degree d_k the ready units are a leading block of each layer.
//
// Step k therefore computes only the hidden units that became ready (columns [done, ready) of
// each layer, from the leading ready block of the layer below) and the P·|group k| output columns
// of the dimensions it solves (P values each: 2 for the affine map, 3K − 1 for a spline):
//
//	h_l[:, a:b] = act(h_{l-1}[:, :r]·(W⊙M)_l[:r, a:b] + b_l[a:b]),
//	(s, t)     = h_L[:, :r]·(W⊙M)_out[:r, cols_k] + b_out[cols_k],
//	x_i        = (y_i − t_i)·exp(−C·tanh(s_i/C))  (or the spline's inverse).
//
// Over all steps every hidden unit is computed once, so a whole inverse costs about half of one
// full conditioner pass (the masks are half zero) instead of one pass per degree.

// invPlan is the schedule of an incremental inverse.
type invPlan struct {
	groups [][]int // input dimensions by ascending degree
	ready  [][]int // ready[l][k]: leading units of hidden layer l that are final before group k
	wp     blas64.General
	bp     []float64      // the last map's weights and biases with the columns of group k at off[k]:
	off    []int          // the first values (s) of its dimensions, then the second (t), ...
	wpT    blas64.General // wp transposed, for fewer than smallRows rows
}

// cachedPlan is the inverse schedule of an AffineInjection for one effNet (one version of the
// weights, see weightcache.go), order and context width: it depends on nothing else, so Inverse
// reuses it until one of them changes. plan is nil when the incremental inverse does not apply
// (full passes over groups). Read-only once published.
type cachedPlan struct {
	eff     uint64        // effNet.serial
	order   masks.Degrees // a copy
	context int
	groups  [][]int
	plan    *invPlan
}

// inversePlan returns the schedule for the effective weights e (from l.Net.effective), cached.
func (l *AffineInjection) inversePlan(e *effNet) *cachedPlan {
	if c := l.plan.Load(); c != nil && c.eff == e.serial && c.context == l.Context && slices.Equal(c.order, l.Order) {
		return c
	}
	c := &cachedPlan{eff: e.serial, order: slices.Clone(l.Order), context: l.Context, groups: l.Order.Groups()}
	if p, ok := planInverse(&l.Net, e, l.Order.WithContext(l.Context), c.groups, l.Elementwise.PerDim()); ok {
		c.plan = p
	}
	l.plan.Store(c)
	return c
}

// effDegrees returns, for every output unit of map l, the largest degree prev[v] among the
// units v its mask connects it to (math.MinInt if none), with the residual link u → u; the mask
// is scanned row by row on its raw data.
func effDegrees(l Dense, prev []int, in, out int) []int {
	eff := make([]int, out)
	for u := range eff {
		eff[u] = math.MinInt
		if l.Residual && u < len(prev) {
			eff[u] = prev[u]
		}
	}
	if l.Mask == nil {
		m := math.MinInt
		for _, pv := range prev[:in] {
			m = max(m, pv)
		}
		for u := range eff {
			eff[u] = max(eff[u], m)
		}
		return eff
	}
	mr := l.Mask.RawMatrix()
	for v := 0; v < in; v++ {
		pv := prev[v]
		for u, mv := range mr.Data[v*mr.Stride : v*mr.Stride+out] {
			if mv != 0 && pv > eff[u] {
				eff[u] = pv
			}
		}
	}
	return eff
}

// planInverse returns the schedule, or false when the effective degrees of some hidden layer are
// not non-decreasing (or an output sees a unit it must not), in which case the caller falls back
// to full passes.
//
// deg are the degrees of the network's inputs: the data dimensions (grouped in groups), then any
// context inputs (degree 0, known from the start).
func planInverse(net *Net, e *effNet, deg []int, groups [][]int, reps int) (*invPlan, bool) {
	d := 0
	for _, g := range groups {
		d += len(g)
	}
	nl := len(net.Layers)
	prev := deg
	p := &invPlan{groups: groups}
	for l := 0; l < nl-1; l++ {
		in, out := e.w[l].Rows, e.w[l].Cols
		eff := effDegrees(net.Layers[l], prev, in, out)
		for u := 1; u < out; u++ {
			if eff[u] < eff[u-1] {
				return nil, false
			}
		}
		ready := make([]int, len(groups))
		c := 0
		for k, g := range groups {
			for c < out && eff[c] < deg[g[0]] {
				c++
			}
			ready[k] = c
		}
		p.ready = append(p.ready, ready)
		prev = eff
	}
	w := e.w[nl-1]
	seen := effDegrees(Dense{Mask: net.Layers[nl-1].Mask}, prev, w.Rows, w.Cols)
	src := make([]int, 0, w.Cols) // column of the last map for each column of wp
	for _, g := range groups {
		p.off = append(p.off, len(src))
		for part := 0; part < reps; part++ {
			for _, i := range g {
				if seen[part*d+i] >= deg[i] {
					return nil, false // not autoregressive: an output sees a unit not yet final
				}
				src = append(src, part*d+i)
			}
		}
	}
	p.wp = heapGeneral(w.Rows, w.Cols)
	p.bp = make([]float64, w.Cols)
	for v := 0; v < w.Rows; v++ {
		row, dst := w.Data[v*w.Stride:], p.wp.Data[v*p.wp.Stride:]
		for col, c := range src {
			dst[col] = row[c]
		}
	}
	for col, c := range src {
		p.bp[col] = e.b[nl-1][c]
	}
	p.wpT = transposeOf(p.wp)
	return p, true
}

// inverseIncremental fills the first d columns of the network input in (n×(d+C): x, zero, then
// the context) from y and adds the log-determinants to logdet.
func (l *AffineInjection) inverseIncremental(p *invPlan, e *effNet, y *mat.Dense, in blas64.General, logdet []float64, a *arena) {
	n, _ := y.Dims()
	xs := in
	yr := y.RawMatrix()
	nl := len(e.w)
	hs := make([]blas64.General, nl-1)
	done := make([]int, nl-1)
	for l := range hs {
		hs[l] = a.general(n, e.w[l].Cols)
	}
	maxg := 0
	for _, g := range p.groups {
		maxg = max(maxg, len(g))
	}
	reps := l.Elementwise.PerDim()
	tmp := a.take(n * reps * maxg)
	sv := a.take(2 * n * maxg) // the affine map's s and exp(−s) of a group
	el := l.Elementwise.elementwise(l.Clamp)
	for k, g := range p.groups {
		below, rows := xs, xs.Cols
		for l := range hs {
			lo, hi := done[l], p.ready[l][k]
			if hi > lo {
				h := hs[l]
				if n >= smallRows { // the product, then the bias and a ReLU in one pass (numeric.go)
					gemmSet(below, 0, rows, e.w[l], lo, hi, h, lo)
					relu := e.act == ReLU
					vmath.AddBias(h.Data[lo:], n, h.Stride, e.b[l][lo:hi], relu)
					for r := 0; r < n && !relu; r++ {
						e.act.Apply(h.Data[r*h.Stride+lo : r*h.Stride+hi])
					}
				} else {
					for r := 0; r < n; r++ {
						copy(h.Data[r*h.Stride+lo:r*h.Stride+hi], e.b[l][lo:hi])
					}
					e.mul(l, below, 0, rows, lo, hi, h, lo)
					for r := 0; r < n; r++ {
						e.act.Apply(h.Data[r*h.Stride+lo : r*h.Stride+hi])
					}
				}
				if e.residual[l] {
					addInto(h, below, lo, hi)
				}
				done[l] = hi
			}
			below, rows = hs[l], done[l]
		}
		gw := reps * len(g)
		st := blas64.General{Rows: n, Cols: gw, Stride: gw, Data: tmp[:n*gw]}
		if n < smallRows {
			fillRows(st, p.bp[p.off[k]:p.off[k]+gw])
			gemmAddT(below, 0, rows, p.wpT, p.off[k], p.off[k]+gw, st, 0)
		} else {
			gemmSet(below, 0, rows, p.wp, p.off[k], p.off[k]+gw, st, 0)
			vmath.AddBias(st.Data, n, st.Stride, p.bp[p.off[k]:p.off[k]+gw], false)
		}
		if reps == 2 && !l.Elementwise.IsSpline() {
			inverseAffine(st, g, yr, xs, logdet, l.Clamp, sv)
			continue
		}
		for r := 0; r < n; r++ {
			row := st.Data[r*gw : (r+1)*gw]
			xrow := xs.Data[r*xs.Stride:]
			yrow := yr.Data[r*yr.Stride:]
			for j, i := range g {
				x, ld := el.inverse(yrow[i], row[j:], len(g))
				xrow[i] = x
				logdet[r] += ld
			}
		}
	}
}
