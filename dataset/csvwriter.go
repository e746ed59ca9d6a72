package dataset

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// CSVWriter writes a header row and then rows of float64 values as CSV (encoding/csv quoting),
// each value formatted with strconv.FormatFloat(v, 'g', -1, 64), so that ReadCSV reads back the
// same names and the same bits. It streams: rows may be appended in any number of Write calls.
// Output is buffered; call Flush at the end.
//
// Its errors carry no prefix (they read e.g. `row 17, column 2 ("b"): NaN is not finite`); the
// caller adds the destination.
type CSVWriter struct {
	w    *csv.Writer
	cols []string
	rec  []string
	rows int
}

// NewCSVWriter checks the column names and writes them as the header row. The names must be ones
// ReadCSV gives back: at least one, each non-empty, unique and without surrounding whitespace,
// with no CR LF pair (read back as LF), and the first not starting with a byte order mark (which
// ReadCSV drops). The error names the column by number and name.
func NewCSVWriter(w io.Writer, columns []string) (*CSVWriter, error) {
	if len(columns) == 0 {
		return nil, errors.New("no column names")
	}
	for j, c := range columns {
		if c != strings.TrimSpace(c) {
			return nil, fmt.Errorf("column %d (%s): surrounding whitespace would be lost on reading", j+1, QuoteCapped(c))
		}
		if strings.Contains(c, "\r\n") {
			return nil, fmt.Errorf("column %d (%s): a CR LF line break would be read back as LF", j+1, QuoteCapped(c))
		}
	}
	if j, err := checkNames(columns); err != nil {
		return nil, fmt.Errorf("column %d (%s): %w", j, QuoteCapped(columns[j-1]), err)
	}
	if strings.HasPrefix(columns[0], "\ufeff") {
		return nil, fmt.Errorf("column 1 (%s): a leading byte order mark would be lost on reading", QuoteCapped(columns[0]))
	}
	c := &CSVWriter{
		w:    csv.NewWriter(w),
		cols: append([]string(nil), columns...),
		rec:  make([]string, len(columns)),
	}
	if err := c.w.Write(c.cols); err != nil {
		return nil, err
	}
	return c, nil
}

// Write appends the rows of x, whose width must match the header. Every value is checked before
// any row of this call is written: a non-finite value is an error naming its row (1-based,
// counted over all Write calls) and its column's number and name, and then nothing of x is
// written. A nil or empty x is an error.
func (c *CSVWriter) Write(x *mat.Dense) error {
	if x == nil || x.IsEmpty() {
		return errors.New("empty matrix")
	}
	n, d := x.Dims()
	if d != len(c.cols) {
		return fmt.Errorf("matrix has %d columns, the header %d", d, len(c.cols))
	}
	for i := range n {
		for j, v := range x.RawRowView(i) {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("row %d, column %d (%s): %g is not finite", c.rows+i+1, j+1, QuoteCapped(c.cols[j]), v)
			}
		}
	}
	for i := range n {
		for j, v := range x.RawRowView(i) {
			c.rec[j] = strconv.FormatFloat(v, 'g', -1, 64)
		}
		if err := c.w.Write(c.rec); err != nil {
			return err
		}
		c.rows++
	}
	return nil
}

// Rows returns the number of data rows written so far.
func (c *CSVWriter) Rows() int { return c.rows }

// Flush writes any buffered data to the underlying writer and returns the first write error met
// so far, if any.
func (c *CSVWriter) Flush() error {
	c.w.Flush()
	return c.w.Error()
}
