package dataset

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// Table is a data matrix with column names: X is N×D (rows are samples) and len(Columns) == D.
// Column names are non-empty and unique.
type Table struct {
	Columns []string
	X       *mat.Dense // N×D
}

// Load reads the data file at path, choosing the format by its extension (case-insensitive): .csv
// is read by ReadCSV, .npy by ReadNPY; any other extension is an error naming the file and the
// supported ones. Content errors are *ParseError values naming path; a file that cannot be opened
// gives os.Open's *fs.PathError, which names path (errors.Is(err, fs.ErrNotExist) works).
func Load(path string) (*Table, error) {
	var read func(io.Reader, string) (*Table, error)
	switch ext := filepath.Ext(path); strings.ToLower(ext) {
	case ".csv":
		read = ReadCSV
	case ".npy":
		read = ReadNPY
	default:
		return nil, fmt.Errorf("dataset: %s: unsupported extension %q (supported: .csv, .npy)", path, ext)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return read(bufio.NewReaderSize(f, 1<<16), path)
}

// Select returns a copy of the table restricted to cols, in the order given. Every name must be a
// column of t, and none may repeat; the error names the offending column.
func (t *Table) Select(cols []string) (*Table, error) {
	if len(cols) == 0 {
		return nil, errors.New("dataset: select: no columns given")
	}
	idx := make([]int, len(cols))
	seen := make(map[string]bool, len(cols))
	for k, c := range cols {
		j := t.index(c)
		if j < 0 {
			return nil, fmt.Errorf("dataset: select: unknown column %s (have %s)", QuoteCapped(c), QuoteList(t.Columns))
		}
		if seen[c] {
			return nil, fmt.Errorf("dataset: select: column %s given twice", QuoteCapped(c))
		}
		seen[c] = true
		idx[k] = j
	}
	return t.pick(idx), nil
}

// Split separates the data columns cols (in the order given, as Select) from the remaining
// columns, the context, which keep the table's order. context is nil when cols names every column.
// Both are copies. The error names an unknown or repeated column.
func (t *Table) Split(cols []string) (data, context *Table, err error) {
	data, err = t.Select(cols)
	if err != nil {
		return nil, nil, err
	}
	picked := make(map[string]bool, len(cols))
	for _, c := range cols {
		picked[c] = true
	}
	var rest []int
	for j, c := range t.Columns {
		if !picked[c] {
			rest = append(rest, j)
		}
	}
	if len(rest) > 0 {
		context = t.pick(rest)
	}
	return data, context, nil
}

func (t *Table) index(name string) int {
	for j, c := range t.Columns {
		if c == name {
			return j
		}
	}
	return -1
}

// pick copies the columns idx (0-based, non-empty) into a new table.
func (t *Table) pick(idx []int) *Table {
	n, _ := t.X.Dims()
	out := &Table{Columns: make([]string, len(idx)), X: mat.NewDense(n, len(idx), nil)}
	for k, j := range idx {
		out.Columns[k] = t.Columns[j]
	}
	for i := range n {
		src, dst := t.X.RawRowView(i), out.X.RawRowView(i)
		for k, j := range idx {
			dst[k] = src[j]
		}
	}
	return out
}

// checkNames returns the 1-based position of the first empty or repeated name and what is wrong
// with it, or 0 and nil.
func checkNames(names []string) (int, error) {
	first := make(map[string]int, len(names))
	for j, c := range names {
		if c == "" {
			return j + 1, errors.New("empty column name")
		}
		if k, dup := first[c]; dup {
			return j + 1, fmt.Errorf("duplicate column name (also column %d)", k)
		}
		first[c] = j + 1
	}
	return 0, nil
}
