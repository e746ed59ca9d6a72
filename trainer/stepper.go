package trainer

import (
	"fmt"

	"github.com/affineflow/flow/graph"

	"gonum.org/v1/gonum/mat"
)

// Stepper takes single optimizer steps on minibatches of a fixed size: the building block of Fit,
// exported for custom training loops and benchmarks.
type Stepper struct {
	st  *stepper
	opt *adam
	s   Settings
	d   int
	ws  [][]float64

	lastNorm float64 // gradient norm of the last step, before clipping
}

// NewStepper builds the training graph of m for batches of n rows of width d. Settings give the
// learning rate, weight decay and clipping (the schedule is the caller's: see SetLearningRate).
func NewStepper(m Model, n, d int, s Settings) (*Stepper, error) {
	s, err := s.withDefaults()
	if err != nil {
		return nil, err
	}
	st, err := newStepper(m, n, d, s.Sparsity, s.Float32)
	if err != nil {
		return nil, err
	}
	sizes := make([]int, len(st.params))
	ws := make([][]float64, len(st.params))
	for k, p := range st.params {
		sizes[k], ws[k] = p.Len(), p.Data()
	}
	return &Stepper{st: st, opt: newAdam(sizes), s: s, d: d, ws: ws}, nil
}

// SetLearningRate changes the step size of the following steps.
func (s *Stepper) SetLearningRate(lr float64) { s.s.LearningRate = lr }

// Step computes the loss on x (n×d rows), its gradient, and applies one clipped Adam step. It
// returns the loss before the step.
func (s *Stepper) Step(x *mat.Dense) (float64, error) {
	r, c := x.Dims()
	if want := s.st.input.Shape(); c != s.d || r != want[0] {
		return 0, fmt.Errorf("trainer: batch is %d×%d, the training graph takes %d×%d", r, c, want[0], s.d)
	}
	for i := 0; i < r; i++ {
		s.st.setRow(i, x.RawRowView(i))
	}
	return s.step(s.s.LearningRate)
}

func (s *Stepper) step(lr float64) (float64, error) {
	loss, err := s.st.run()
	if err == nil && !finite(loss) {
		err = fmt.Errorf("non-finite loss %g", loss)
	}
	if err != nil {
		return loss, err
	}
	var norm float64
	if s.s.Float32 {
		norm = adamStep(s.opt, s.ws, s.st.grads32, s.s.ClipNorm, lr, s.s.WeightDecay)
	} else {
		norm = adamStep(s.opt, s.ws, s.st.grads, s.s.ClipNorm, lr, s.s.WeightDecay)
	}
	if !finite(norm) {
		return loss, fmt.Errorf("non-finite gradient (norm %g)", norm)
	}
	s.st.dirty = false // the step zeroed the gradients
	touch(s.st.params)
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
func (s *Stepper) Close() { s.st.close() }
