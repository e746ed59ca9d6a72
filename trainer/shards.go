package trainer

import (
	"github.com/affineflow/flow/graph"
	"github.com/affineflow/flow/internal/parallel"
)

// shards are the copies of the training graph a Stepper runs a batch on at once, one per
// goroutine, each on a contiguous share of the rows (Settings.Shards): the gradient of the batch's
// mean loss is the row-weighted mean of the shards' (each the mean over its rows), formed in shard
// order, so a step does not depend on GOMAXPROCS. The first reads the parameters' memory (a
// float64 graph), the others copies of it (graph.Graph.Private: gorgonia's Mul transposes a weight
// in place in its backward pass, so two graphs running at once must not share one), as float32
// graphs do.
type shards struct {
	st   []*stepper
	from []int     // shard k holds rows [from[k], from[k+1])
	w    []float64 // its weight, rows/n

	// g (float64 graphs) or g32 (float32) are the batch's gradients after run: the first shard's
	// when it is the only one, else sum and sum32, the shards' weighted sum (the gradient nodes'
	// memory is read only: see stepper)
	g     [][]float64
	g32   [][]float32
	sum   [][]float64
	sum32 [][]float32
}

// newShards builds k copies of m's training graph for the shares of n rows.
func newShards(m Model, n, d, k int, sparsity float64, f32 bool) (*shards, error) {
	sh := &shards{from: make([]int, k+1), w: make([]float64, k)}
	for i := range k {
		sh.from[i+1] = (i + 1) * n / k
		rows := sh.from[i+1] - sh.from[i]
		sh.w[i] = float64(rows) / float64(n)
		st, err := newStepper(m, rows, d, sparsity, f32, i > 0, k)
		if err != nil {
			sh.close()
			return nil, err
		}
		sh.st = append(sh.st, st)
	}
	if k > 1 {
		for _, p := range sh.st[0].params {
			if f32 {
				sh.sum32 = append(sh.sum32, make([]float32, p.Len()))
			} else {
				sh.sum = append(sh.sum, make([]float64, p.Len()))
			}
		}
	}
	return sh, nil
}

// setRow puts row r of the batch into its shard.
func (sh *shards) setRow(r int, row []float64) {
	k := len(sh.st) - 1
	for sh.from[k] > r {
		k--
	}
	sh.st[k].setRow(r-sh.from[k], row)
}

// run runs every shard on its rows, side by side (parallel.Beside), and leaves the batch's
// loss gradient in sh.g or sh.g32; it returns the batch's loss.
// The graphs' copies of the parameters are refreshed first (sync).
func (sh *shards) run(a *adam, spans func(*graph.Param) []graph.Span, written func(*graph.Param) bool) (float64, error) {
	sh.sync(spans, written) // before any runs: a run may transpose a parameter's tensor in place
	if len(sh.st) == 1 {
		loss, err := sh.st[0].run()
		sh.g, sh.g32 = sh.st[0].grads, sh.st[0].grads32
		return loss, err
	}
	losses, errs := make([]float64, len(sh.st)), make([]error, len(sh.st))
	parallel.Beside(len(sh.st), func(k int) { losses[k], errs[k] = sh.st[k].run() })
	loss := 0.0
	for k, err := range errs {
		if err != nil {
			return 0, err
		}
		loss += sh.w[k] * losses[k]
	}
	if sh.sum32 != nil {
		combine(a, sh, sh.sum32, func(st *stepper) [][]float32 { return st.grads32 })
		sh.g, sh.g32 = nil, sh.sum32
	} else {
		combine(a, sh, sh.sum, func(st *stepper) [][]float64 { return st.grads })
		sh.g, sh.g32 = sh.sum, nil
	}
	return loss, nil
}

// sync refreshes the graphs' copies of the parameters where spans says (graph.Graph.SyncSpans),
// but for the first graph's copies that written says Adam already wrote (SyncSpansWritten).
func (sh *shards) sync(spans func(*graph.Param) []graph.Span, written func(*graph.Param) bool) {
	for k, st := range sh.st {
		if k == 0 {
			st.g.SyncSpansWritten(spans, written)
		} else {
			st.g.SyncSpans(spans)
		}
	}
}

// combine sets sum to the weighted sum of every shard's gradients over a's pieces (outside them
// every gradient is zero, and sum stays at the zeros it was allocated with).
func combine[T graph.Float](a *adam, sh *shards, sum [][]T, grads func(*stepper) [][]T) {
	gs := make([][][]T, len(sh.st))
	for k, st := range sh.st {
		gs[k] = grads(st)
	}
	w := sh.w
	a.each(func(_ int, p piece) {
		dst, g0 := sum[p.k][p.lo:p.hi], gs[0][p.k][p.lo:p.hi]
		for i := range dst {
			s := w[0] * float64(g0[i])
			for k := 1; k < len(gs); k++ {
				s += w[k] * float64(gs[k][p.k][p.lo+i])
			}
			dst[i] = T(s)
		}
	})
}

func (sh *shards) close() {
	for _, st := range sh.st {
		st.close()
	}
}
