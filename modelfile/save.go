package modelfile

import (
	"errors"
	"fmt"
	"io"

	"github.com/affineflow/flow/internal/atomicfile"

	"github.com/affineflow/flow/distributions"
)

// Save writes f and meta to path atomically: the bytes go to a temporary file in the same
// directory, which is synced and then renamed over path. On any error nothing is left behind: no
// temporary file, and path is untouched (an existing file there keeps its old content).
func Save(path string, f *distributions.Flow, meta Meta) error {
	data, err := Marshal(f, meta)
	if err != nil {
		return err
	}
	if err := atomicfile.WriteFileAtomic(path, func(w io.Writer) error { _, err := w.Write(data); return err }); err != nil {
		return fmt.Errorf("modelfile: save %s: %w", path, errors.Unwrap(err))
	}
	return nil
}
