package trainer

import (
	"fmt"
	"sync"
)

// Comm is the group of processes of a data-parallel fit (synchronous SGD, as Horovod does): every
// rank holds the model, computes the gradient of its share of each global batch, and the ranks
// sum their gradients (Sum) so that every rank applies the same Adam step. An MPI communicator
// implements it (internal/mpi, with -tags mpi); LocalComms gives in-process ranks.
type Comm interface {
	Rank() int
	Size() int
	// Sum replaces buf, on every rank, by the element-wise sum of every rank's buf, with the same
	// bits on every rank (LocalComms adds in rank order; MPI in its own fixed order). An error (a
	// failed rank) ends the fit.
	Sum(buf []float64) error
}

// parallel returns the communicator of s when it has more than one rank, else nil.
func (s Settings) parallel() Comm {
	if s.Comm == nil || s.Comm.Size() < 2 {
		return nil
	}
	return s.Comm
}

// LocalComms returns n in-process ranks of one group, for goroutines that each run a fit (tests,
// and a data-parallel fit on the cores of one machine).
func LocalComms(n int) []Comm {
	g := &localGroup{n: n, bufs: make([][]float64, n)}
	g.cond = sync.NewCond(&g.mu)
	out := make([]Comm, n)
	for r := range out {
		out[r] = localComm{g: g, rank: r}
	}
	return out
}

type localGroup struct {
	mu      sync.Mutex
	cond    *sync.Cond
	n       int
	bufs    [][]float64 // this round's contributions, by rank
	arrived int
	round   int
	sum     []float64
	err     error // this round's failure, returned to every rank
	left    int   // ranks yet to copy the sum out
}

type localComm struct {
	g    *localGroup
	rank int
}

func (c localComm) Rank() int { return c.rank }
func (c localComm) Size() int { return c.g.n }

func (c localComm) Sum(buf []float64) error {
	g := c.g
	g.mu.Lock()
	defer g.mu.Unlock()
	for g.left > 0 { // the previous round's sum is still being read
		g.cond.Wait()
	}
	round := g.round
	g.bufs[c.rank] = buf
	g.arrived++
	if g.arrived == g.n { // the last to arrive sums, in rank order
		g.sum, g.err = make([]float64, len(buf)), nil
		for _, b := range g.bufs {
			if len(b) != len(g.sum) {
				g.err = fmt.Errorf("trainer: ranks sum buffers of different lengths (%d and %d)", len(b), len(g.sum))
				break
			}
			for i, v := range b {
				g.sum[i] += v
			}
		}
		g.arrived, g.left = 0, g.n
		g.round++
		g.cond.Broadcast()
	}
	for g.round == round {
		g.cond.Wait()
	}
	if g.err == nil {
		copy(buf, g.sum)
	}
	err := g.err
	g.left--
	if g.left == 0 {
		g.cond.Broadcast()
	}
	return err
}
