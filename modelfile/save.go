package modelfile

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/affineflow/flow/distributions"
)

// Save writes f and meta to path atomically: the bytes go to a temporary file in the same
// directory, which is synced and then renamed over path. On any error nothing is left behind: no
// temporary file, and path is untouched (an existing file there keeps its old content).
func Save(path string, f *distributions.Flow, meta Meta) (err error) {
	data, err := Marshal(f, meta)
	if err != nil {
		return err
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("modelfile: save %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			err = fmt.Errorf("modelfile: save %s: %w", path, err)
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Chmod(0o644); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	syncDir(dir)
	return nil
}

// syncDir makes a rename durable where the platform allows it (best effort).
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	d.Close()
}

// Load reads and validates the model file at path. Errors start with path and name the JSON
// location, as in Unmarshal.
func Load(path string) (*distributions.Flow, Meta, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("modelfile: %w", err)
	}
	return Unmarshal(data, path)
}
