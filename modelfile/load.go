package modelfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/affineflow/flow/internal/atomicfile"

	"github.com/affineflow/flow/distributions"
)

// Load reads and validates the model file at path. Errors start with path and name the JSON
// location, as in Unmarshal.
//
// path must be a regular file (or a symbolic link to one) of at most MaxFileSize bytes. A
// directory, FIFO, device or socket is refused before it is opened, so Load never blocks on a
// FIFO nor reads a device such as /dev/zero without end; the file is read through an
// io.LimitReader, so one that grows while it is read (or whose size is not known in advance, as
// in /proc) is refused too.
func Load(path string) (*distributions.Flow, Meta, error) {
	data, err := readLimited(path, fileSizeLimit)
	if err != nil {
		return nil, nil, err
	}
	return Unmarshal(data, path)
}

// readLimited reads the regular file at path, refusing one of more than limit bytes.
func readLimited(path string, limit int64) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("modelfile: %w", err)
	}
	if err := regularSized(path, st, limit); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("modelfile: %w", err)
	}
	defer f.Close()
	// The path may have been replaced since Stat: check what was opened.
	if st, err = f.Stat(); err != nil {
		return nil, fmt.Errorf("modelfile: %w", err)
	}
	if err := regularSized(path, st, limit); err != nil {
		return nil, err
	}
	data := make([]byte, 0, st.Size()+1) // +1: reaching the end needs no reallocation
	r := io.LimitReader(f, limit+1)
	for {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
		n, err := r.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("modelfile: %w", err)
		}
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: reading gave more than %d bytes (the file was %d bytes when opened), %s",
			path, limit, st.Size(), overLimit("modelfile.MaxFileSize", limit))
	}
	return data, nil
}

// regularSized refuses anything but a regular file of at most limit bytes.
func regularSized(path string, st fs.FileInfo, limit int64) error {
	if !st.Mode().IsRegular() {
		return fmt.Errorf("%s: not a model file but %s", path, atomicfile.FileKind(st.Mode()))
	}
	if st.Size() > limit {
		return fmt.Errorf("%s: the file is %d bytes, %s", path, st.Size(), overLimit("modelfile.MaxFileSize", limit))
	}
	return nil
}
