package dataset

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// ReadNPY reads a NumPy .npy file (format version 1.0, 2.0 or 3.0) holding a 2-D array of rows ×
// columns; name is used in error messages. The dtype must be float32 or float64 in either byte
// order ('<f4', '>f4', '<f8', '>f8'); float32 values are widened to float64 exactly. C (row-major)
// and Fortran (column-major) order are both read into the row-major result. The columns are named
// "x0" … "x{D-1}". Every error is a *ParseError; a non-finite value is reported with its 1-based
// row and column. The payload must be exactly as long as the shape and dtype say.
func ReadNPY(r io.Reader, name string) (*Table, error) {
	h, err := readNPYHeader(r, name)
	if err != nil {
		return nil, err
	}
	shape := shapeString(h.shape)
	if len(h.shape) != 2 {
		return nil, fileErr(name, "array has shape %s (%d-D); want a 2-D array (rows, columns)", shape, len(h.shape))
	}
	size, order, ok := npyDtype(h.descr)
	if !ok {
		return nil, fileErr(name, "unsupported dtype %s (supported: float32 or float64, '<f4', '>f4', '<f8', '>f8')", QuoteCapped(h.descr))
	}
	n, d := h.shape[0], h.shape[1]
	switch {
	case n == 0:
		return nil, fileErr(name, "no data rows (shape %s)", shape)
	case d == 0:
		return nil, fileErr(name, "no columns (shape %s)", shape)
	case n > math.MaxInt/8/d:
		return nil, fileErr(name, "shape %s is too large", shape)
	}
	want := n * d * size

	// Read no more than the file holds before allocating the matrix, so a corrupt shape cannot
	// trigger a huge allocation.
	raw, err := io.ReadAll(io.LimitReader(r, int64(want)+1))
	if err != nil {
		return nil, fileErr(name, "read: %w", err)
	}
	if len(raw) < want {
		return nil, fileErr(name, "truncated payload: %d of %d bytes (shape %s, dtype %q)", len(raw), want, shape, h.descr)
	}
	if len(raw) > want {
		return nil, fileErr(name, "data after the payload: shape %s and dtype %q account for %d bytes", shape, h.descr, want)
	}

	x := make([]float64, n*d)
	for k := range n * d {
		var v float64
		if size == 4 {
			v = float64(math.Float32frombits(order.Uint32(raw[4*k:])))
		} else {
			v = math.Float64frombits(order.Uint64(raw[8*k:]))
		}
		i, j := k/d, k%d
		if h.fortran {
			i, j = k%n, k/n
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, &ParseError{File: name, Row: i + 1, Column: j + 1, Name: npyColumn(j),
				Err: fmt.Errorf("%v is not finite", v)}
		}
		x[i*d+j] = v
	}
	return &Table{Columns: PositionalColumns(d), X: mat.NewDense(n, d, x)}, nil
}

// npyDtype returns the element size and byte order of a supported dtype string.
func npyDtype(descr string) (size int, order binary.ByteOrder, ok bool) {
	switch descr {
	case "<f4":
		return 4, binary.LittleEndian, true
	case ">f4":
		return 4, binary.BigEndian, true
	case "<f8":
		return 8, binary.LittleEndian, true
	case ">f8":
		return 8, binary.BigEndian, true
	}
	return 0, nil, false
}

func npyColumn(j int) string { return "x" + strconv.Itoa(j) }

// PositionalColumns returns the names of d columns that have none of their own, x0…x{d-1}: the
// columns of an .npy file (and of a model trained on one), which match other data by position.
func PositionalColumns(d int) []string {
	cols := make([]string, d)
	for j := range cols {
		cols[j] = npyColumn(j)
	}
	return cols
}

// maxShown bounds the number of dimensions shapeString shows.
const maxShown = 8

// shapeString formats a shape as Python does: (), (5,), (3, 4); after maxShown dimensions it
// writes "…" instead of the rest.
func shapeString(shape []int) string {
	s := make([]string, 0, maxShown+1)
	for _, v := range shape[:min(len(shape), maxShown)] {
		s = append(s, strconv.Itoa(v))
	}
	if len(shape) > maxShown {
		s = append(s, "…")
	}
	if len(s) == 1 {
		return "(" + s[0] + ",)"
	}
	return "(" + strings.Join(s, ", ") + ")"
}
