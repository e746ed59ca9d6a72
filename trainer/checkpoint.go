package trainer

import (
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"github.com/affineflow/flow/internal/atomicfile"

	"github.com/affineflow/flow/dataset"
)

// checkpointVersion changes whenever the layout of checkpoint changes. Version 2 added the run's
// identity and the position inside an unfinished epoch.
const checkpointVersion = 2

// checkpoint is the gob-encoded state of a run after a finished epoch, or at the step where an
// interrupted run stopped (Step > 0: steps taken in epoch Epoch+1).
type checkpoint struct {
	Version          int
	ID               runID
	Names            []string
	Params, Best     [][]float64
	M, V             [][]float64
	T                int
	Epoch, Bad, Step int
	SumLoss, SumNorm float64
	Result           Result
}

func (t *training) save(path string) error {
	c := checkpoint{Version: checkpointVersion, ID: t.id, Best: t.best, M: t.opt.M, V: t.opt.V, T: t.opt.T,
		Epoch: t.epoch, Bad: t.bad, Step: t.step, SumLoss: t.sumLoss, SumNorm: t.sumNorm, Result: t.res}
	for _, p := range t.params {
		c.Names = append(c.Names, p.Name)
		c.Params = append(c.Params, p.Data())
	}
	if err := atomicfile.WriteFileAtomic(path, func(w io.Writer) error { return gob.NewEncoder(w).Encode(&c) }); err != nil {
		return fmt.Errorf("trainer: checkpoint: %w", err)
	}
	return nil
}

// load restores the state saved by save, for a run of steps optimizer steps an epoch. A missing
// file means a fresh start (loaded false). A file that is not a checkpoint of this model, or
// belongs to another run (other data or settings: runID), is refused with an error naming it.
func (t *training) load(path string, steps int) (loaded bool, err error) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("trainer: resume: %w", err)
	}
	defer f.Close()
	if info, err := f.Stat(); err == nil && !info.Mode().IsRegular() {
		return false, fmt.Errorf("trainer: resume from %s: not a regular file", path)
	}
	c, err := decodeCheckpoint(f)
	if err == nil {
		err = t.check(c, steps)
	}
	if err != nil {
		return false, fmt.Errorf("trainer: resume from %s: %w", path, err)
	}
	for k, p := range t.params {
		copy(p.Data(), c.Params[k])
	}
	touch(t.params)
	t.best, t.opt.M, t.opt.V, t.opt.T = c.Best, c.M, c.V, c.T
	t.epoch, t.bad, t.res = c.Epoch, c.Bad, c.Result
	t.step, t.sumLoss, t.sumNorm = c.Step, c.SumLoss, c.SumNorm
	return true, nil
}

// decodeCheckpoint reads a checkpoint of the current version.
func decodeCheckpoint(r io.Reader) (*checkpoint, error) {
	var c checkpoint
	if err := gob.NewDecoder(r).Decode(&c); err != nil {
		return nil, fmt.Errorf("not a checkpoint: %w", err)
	}
	if c.Version != checkpointVersion {
		return nil, fmt.Errorf("checkpoint version %d, want %d (written by another version of this program: start without resuming)", c.Version, checkpointVersion)
	}
	return &c, nil
}

// check refuses a checkpoint that does not fit t's model and run: every list must hold one
// vector of the parameter's length per parameter, the counters must be consistent, the values
// finite (V >= 0), and the run's identity the same.
func (t *training) check(c *checkpoint, steps int) error {
	if diff := c.ID.diff(t.id); len(diff) > 0 {
		return fmt.Errorf("the checkpoint belongs to another run: %s (remove the file, or do not resume)", strings.Join(diff, ", "))
	}
	np := len(t.params)
	for _, l := range []struct {
		name string
		n    int
	}{{"names", len(c.Names)}, {"parameters", len(c.Params)}, {"best weights", len(c.Best)}, {"Adam moments M", len(c.M)}, {"Adam moments V", len(c.V)}} {
		if l.n != np {
			return fmt.Errorf("%d %s, the model has %d parameters", l.n, l.name, np)
		}
	}
	for k, p := range t.params {
		if c.Names[k] != p.Name {
			return fmt.Errorf("parameter %d is %s, the model's is %q", k, dataset.QuoteCapped(c.Names[k]), p.Name)
		}
		for _, v := range []struct {
			name string
			x    []float64
		}{{"values", c.Params[k]}, {"best values", c.Best[k]}, {"Adam M", c.M[k]}, {"Adam V", c.V[k]}} {
			if len(v.x) != p.Len() {
				return fmt.Errorf("parameter %d (%s) has %d %s, the model's has %d", k, p.Name, len(v.x), v.name, p.Len())
			}
			for i, x := range v.x {
				if !finite(x) || (v.name == "Adam V" && x < 0) {
					return fmt.Errorf("parameter %d (%s): %s[%d] is %g", k, p.Name, v.name, i, x)
				}
			}
		}
	}
	r := c.Result
	switch {
	case c.T < 0 || c.Epoch < 0 || c.Bad < 0 || c.Bad > c.Epoch || r.Steps < 0:
		return fmt.Errorf("inconsistent counters (epoch %d, epochs since the best %d, Adam steps %d)", c.Epoch, c.Bad, c.T)
	case c.Step < 0 || c.Step >= max(steps, 1):
		return fmt.Errorf("step %d of an epoch of %d steps", c.Step, steps)
	case len(r.History) != c.Epoch || r.BestEpoch < 0 || r.BestEpoch > c.Epoch:
		return fmt.Errorf("inconsistent history (%d epochs recorded, %d finished, best %d)", len(r.History), c.Epoch, r.BestEpoch)
	case math.IsNaN(c.SumLoss) || math.IsNaN(c.SumNorm) || math.IsNaN(r.BestValNLL):
		return errors.New("NaN in the running sums")
	}
	return nil
}
