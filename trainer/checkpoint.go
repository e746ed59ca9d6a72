package trainer

import (
	"encoding/gob"
	"fmt"
	"io"
	"os"

	"github.com/affineflow/flow/dataset"
)

// checkpointVersion changes whenever the layout of checkpoint changes.
const checkpointVersion = 1

// checkpoint is the gob-encoded state of a run after a finished epoch.
type checkpoint struct {
	Version      int
	Names        []string
	Params, Best [][]float64
	M, V         [][]float64
	T            int
	Epoch, Bad   int
	Result       Result
}

func (t *training) save(path string) error {
	c := checkpoint{Version: checkpointVersion, Best: t.best, M: t.opt.M, V: t.opt.V, T: t.opt.T,
		Epoch: t.epoch, Bad: t.bad, Result: t.res}
	for _, p := range t.params {
		c.Names = append(c.Names, p.Name)
		c.Params = append(c.Params, p.Data())
	}
	if err := dataset.WriteFileAtomic(path, func(w io.Writer) error { return gob.NewEncoder(w).Encode(&c) }); err != nil {
		return fmt.Errorf("trainer: checkpoint: %w", err)
	}
	return nil
}

// load restores the state saved by save; a missing file means a fresh start.
func (t *training) load(path string) error {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("trainer: resume: %w", err)
	}
	defer f.Close()
	var c checkpoint
	if err := gob.NewDecoder(f).Decode(&c); err != nil {
		return fmt.Errorf("trainer: resume from %s: not a checkpoint: %w", path, err)
	}
	if c.Version != checkpointVersion {
		return fmt.Errorf("trainer: resume from %s: checkpoint version %d, want %d", path, c.Version, checkpointVersion)
	}
	if len(c.Params) != len(t.params) {
		return fmt.Errorf("trainer: resume from %s: %d parameters, the model has %d", path, len(c.Params), len(t.params))
	}
	for k, p := range t.params {
		if len(c.Params[k]) != p.Len() || len(c.M[k]) != p.Len() || len(c.Best[k]) != p.Len() {
			return fmt.Errorf("trainer: resume from %s: parameter %d (%s) has %d values, the model's %s has %d",
				path, k, c.Names[k], len(c.Params[k]), p.Name, p.Len())
		}
	}
	for k, p := range t.params {
		copy(p.Data(), c.Params[k])
	}
	t.best, t.opt.M, t.opt.V, t.opt.T = c.Best, c.M, c.V, c.T
	t.epoch, t.bad, t.res = c.Epoch, c.Bad, c.Result
	return nil
}
