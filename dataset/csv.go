package dataset

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/affineflow/flow/internal/atomicfile"

	"gonum.org/v1/gonum/mat"
)

// ReadCSV reads comma-separated values with a header row of column names followed by at least one
// data row; name is used in error messages. Column names are trimmed of surrounding whitespace and
// must be non-empty and unique. Every data row must have exactly as many fields as the header, and
// every field must be a finite number in Go syntax (strconv.ParseFloat) after trimming
// surrounding whitespace. A leading UTF-8 byte order mark, CRLF line endings, quoted fields and
// blank lines are accepted. Every error is a *ParseError giving the line, row and column. A line
// may hold at most MaxLineBytes bytes and the header at most MaxColumns names, so that memory
// stays proportional to the file's size.
func ReadCSV(r io.Reader, name string) (*Table, error) {
	br := bufio.NewReader(newLineLimiter(r))
	if bom, err := br.Peek(3); err == nil && string(bom) == "\ufeff" {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1 // ragged rows get our own message
	cr.ReuseRecord = true

	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fileErr(name, "empty file (a header row is required)")
	}
	if err != nil {
		return nil, csvErr(name, 0, err)
	}
	if len(header) > MaxColumns {
		line, _ := cr.FieldPos(0)
		return nil, &ParseError{File: name, Line: line, Err: fmt.Errorf("%d columns, more than %d (dataset.MaxColumns)", len(header), MaxColumns)}
	}
	cols := make([]string, len(header))
	for j, h := range header {
		cols[j] = strings.TrimSpace(h)
	}
	if j, err := checkNames(cols); err != nil {
		line, _ := cr.FieldPos(j - 1)
		return nil, &ParseError{File: name, Line: line, Column: j, Name: cols[j-1], Err: err}
	}

	d := len(cols)
	var data []float64
	row := 0
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvErr(name, row+1, err)
		}
		row++
		if len(rec) != d {
			line, _ := cr.FieldPos(0)
			e := &ParseError{File: name, Line: line, Row: row}
			if len(rec) < d {
				e.Column, e.Name = len(rec)+1, cols[len(rec)]
				e.Err = fmt.Errorf("missing field: the row has %d fields, the header %d", len(rec), d)
			} else {
				e.Column = d + 1
				e.Err = fmt.Errorf("extra field %s: the row has %d fields, the header %d", QuoteCapped(rec[d]), len(rec), d)
			}
			return nil, e
		}
		for j, s := range rec {
			v, err := parseValue(s)
			if err != nil {
				line, _ := cr.FieldPos(j)
				return nil, &ParseError{File: name, Line: line, Row: row, Column: j + 1, Name: cols[j], Err: err}
			}
			data = append(data, v)
		}
	}
	if row == 0 {
		return nil, fileErr(name, "no data rows (header only)")
	}
	return &Table{Columns: cols, X: mat.NewDense(row, d, data)}, nil
}

// parseValue parses one field as a finite float64; the error quotes the field, shortened.
func parseValue(s string) (float64, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, errors.New("empty field")
	}
	v, err := strconv.ParseFloat(t, 64)
	switch {
	case errors.Is(err, strconv.ErrRange):
		return 0, fmt.Errorf("%s is out of float64 range", QuoteCapped(t))
	case err != nil:
		return 0, fmt.Errorf("%s is not a number", QuoteCapped(t))
	case math.IsNaN(v) || math.IsInf(v, 0):
		return 0, fmt.Errorf("%s is not finite", QuoteCapped(t))
	}
	return v, nil
}

// csvErr converts an encoding/csv or I/O error; row is the data row being read (0: the header).
func csvErr(name string, row int, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &ParseError{File: name, Line: pe.Line, Row: row,
			Err: fmt.Errorf("%w (character %d of the line)", pe.Err, pe.Column)}
	}
	var tl *errLineTooLong
	if errors.As(err, &tl) {
		return &ParseError{File: name, Line: tl.line, Row: row, Err: fmt.Errorf("longer than %d bytes (dataset.MaxLineBytes)", MaxLineBytes)}
	}
	return fileErr(name, "read: %w", err)
}

// WriteCSV writes columns as the header row and then the rows of x with a CSVWriter, so that
// reading it back gives the same names and bits. The names must match x's width and be valid for
// ReadCSV (see NewCSVWriter) and every value must be finite; nothing is written otherwise. The
// file is written with atomicfile.WriteFileAtomic: on any error no new file is left at path. Errors read
// "dataset: write PATH: ...".
func WriteCSV(path string, columns []string, x *mat.Dense) error {
	if x == nil || x.IsEmpty() {
		return fmt.Errorf("dataset: write %s: empty matrix", path)
	}
	if _, d := x.Dims(); len(columns) != d {
		return fmt.Errorf("dataset: write %s: %d column names for a matrix with %d columns", path, len(columns), d)
	}
	return atomicfile.WriteFileAtomic(path, func(w io.Writer) error {
		cw, err := NewCSVWriter(w, columns)
		if err != nil {
			return err
		}
		if err := cw.Write(x); err != nil {
			return err
		}
		return cw.Flush()
	})
}
