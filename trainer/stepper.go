package trainer

import (
	"fmt"
	"math"

	"github.com/affineflow/flow/graph"

	"gonum.org/v1/gonum/mat"
)

// Stepper takes single optimizer steps on minibatches of a fixed size: the building block of Fit,
// exported for custom training loops and benchmarks.
type Stepper struct {
	st  *stepper // the first shard
	sh  *shards
	opt *adam
	s   Settings
	d   int
	ws  [][]float64

	// after holds each parameter's version right after this Stepper's last step: a parameter still
	// at it has changed since the graphs' last sync only where Adam writes (its spans), and only
	// that is copied into float32 or private graphs (graph.Graph.SyncSpans)
	after map[*graph.Param]uint64

	lastNorm float64     // gradient norm of the last step, before clipping
	comm     Comm        // data-parallel ranks (nil: one process)
	sum      []float64   // the buffer the ranks sum: the loss, then every gradient
	views    [][]float64 // the gradients in sum
}

// NewStepper builds the training graph of m for batches of n rows of width d. Settings give the
// learning rate, weight decay and clipping (the schedule is the caller's: see SetLearningRate).
func NewStepper(m Model, n, d int, s Settings) (*Stepper, error) {
	s, err := s.withDefaults()
	if err != nil {
		return nil, err
	}
	if s.Shards > n {
		return nil, fmt.Errorf("trainer: %d shards of a batch of %d rows", s.Shards, n)
	}
	sh, err := newShards(m, n, d, max(1, s.Shards), s.Sparsity, s.Float32)
	if err != nil {
		return nil, err
	}
	st := sh.st[0]
	sizes := make([]int, len(st.params))
	ws := make([][]float64, len(st.params))
	for k, p := range st.params {
		sizes[k], ws[k] = p.Len(), p.Data()
	}
	sp := &Stepper{st: st, sh: sh, opt: newAdam(sizes), s: s, d: d, ws: ws, comm: s.parallel()}
	spans := make([][]graph.Span, len(st.params))
	sp.after = map[*graph.Param]uint64{}
	for k, p := range st.params {
		spans[k] = st.g.Spans(p)
	}
	sp.opt.restrict(spans)
	if s.Float32 {
		sp.opt.out = make([][]float32, len(st.params))
		for k, p := range st.params {
			sp.opt.out[k] = st.g.Copy32(p)
		}
	}
	if sp.comm != nil && s.Float32 {
		sp.Close()
		return nil, fmt.Errorf("trainer: a data-parallel fit runs float64 graphs only")
	}
	return sp, nil
}

// reduce makes loss and the gradients the means over the ranks of theirs (each rank's are the
// mean over its share of the global batch, so the result is the global batch's). The means are
// in s.sum, and the shards' gradients (s.sh.g) become views of it.
func (s *Stepper) reduce(loss float64) (float64, error) {
	gs := s.sh.g
	n := 1
	for _, g := range gs {
		n += len(g)
	}
	if cap(s.sum) < n {
		s.sum = make([]float64, n)
	}
	buf := s.sum[:n]
	buf[0] = loss
	at := 1
	for _, g := range gs {
		at += copy(buf[at:], g)
	}
	if err := s.comm.Sum(buf); err != nil {
		return loss, fmt.Errorf("trainer: summing the gradients over %d ranks: %w", s.comm.Size(), err)
	}
	inv := 1 / float64(s.comm.Size())
	for i := range buf {
		buf[i] *= inv
	}
	if len(s.views) != len(gs) {
		s.views = make([][]float64, len(gs))
	}
	at = 1
	for k, g := range gs {
		s.views[k] = buf[at : at+len(g)]
		at += len(g)
	}
	s.sh.g = s.views
	return buf[0], nil
}

// changed returns the spans of p that may have changed since the graphs' last sync: Adam's, when
// nothing else wrote p since this Stepper's last step, else nil (all of it).
func (s *Stepper) changed(p *graph.Param) []graph.Span {
	if v, ok := s.after[p]; ok && v == p.Version() {
		return s.st.g.Spans(p) // Adam's (opt.restrict)
	}
	return nil
}

// written reports whether p's float32 copy in the first shard's graph already holds its values
// where they changed since that graph's last sync: Adam writes the copies (adam.out), after has p
// once a step was taken, and nothing else wrote p since.
func (s *Stepper) written(p *graph.Param) bool {
	v, ok := s.after[p]
	return s.opt.out != nil && ok && v == p.Version()
}

// SetLearningRate changes the step size of the following steps.
func (s *Stepper) SetLearningRate(lr float64) { s.s.LearningRate = lr }

// Step computes the loss on x (n×d rows), its gradient, and applies one clipped Adam step. It
// returns the loss before the step.
func (s *Stepper) Step(x *mat.Dense) (float64, error) {
	r, c := x.Dims()
	if want := s.sh.from[len(s.sh.st)]; c != s.d || r != want {
		return 0, fmt.Errorf("trainer: batch is %d×%d, the training graph takes %d×%d", r, c, want, s.d)
	}
	for i := 0; i < r; i++ {
		s.sh.setRow(i, x.RawRowView(i))
	}
	return s.step(s.s.LearningRate)
}

func (s *Stepper) step(lr float64) (float64, error) {
	loss, err := s.sh.run(s.opt, s.changed, s.written)
	if s.comm != nil { // every rank takes part in every sum, so that a failed rank fails them all
		if err != nil {
			loss = math.NaN()
		}
		var rerr error
		if loss, rerr = s.reduce(loss); err == nil {
			err = rerr
		}
	}
	if err == nil && !finite(loss) {
		err = fmt.Errorf("non-finite loss %g", loss)
	}
	if err != nil {
		return loss, err
	}
	var norm float64
	if s.s.Float32 {
		norm = adamStep(s.opt, s.ws, s.sh.g32, s.s.ClipNorm, lr, s.s.WeightDecay)
	} else {
		norm = adamStep(s.opt, s.ws, s.sh.g, s.s.ClipNorm, lr, s.s.WeightDecay)
	}
	if !finite(norm) {
		return loss, fmt.Errorf("non-finite gradient (norm %g)", norm)
	}
	touch(s.st.params)
	for _, p := range s.st.params {
		s.after[p] = p.Version()
	}
	s.lastNorm = norm
	return loss, nil
}

// touch records a write to the values of every parameter in ps (graph.Param.Touch), so that the
// layers' caches of derived values (masked weights) see it.
func touch(ps []*graph.Param) {
	for _, p := range ps {
		p.Touch()
	}
}

// Close releases the training graph's machine.
func (s *Stepper) Close() { s.sh.close() }
