package dataset

import (
	"fmt"
	"strings"
)

// ParseError is a problem with the content of a data file. Line, Row and Column are 1-based; zero
// means "not applicable" and is left out of the message (see the package documentation).
type ParseError struct {
	File   string // the name given to ReadCSV or ReadNPY, the path for Load
	Line   int    // physical line, header = line 1 (CSV only)
	Row    int    // data row, first row after the header = row 1
	Column int    // 1-based column
	Name   string // the column's name, when known
	Err    error  // what is wrong
}

// Error formats the position as `file: line 5 (row 4), column 3 ("Voltage"): <Err>`. A long
// column name is shortened (see QuoteCapped).
func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	sep := ": "
	switch {
	case e.Line > 0 && e.Row > 0:
		fmt.Fprintf(&b, ": line %d (row %d)", e.Line, e.Row)
		sep = ", "
	case e.Line > 0:
		fmt.Fprintf(&b, ": line %d", e.Line)
		sep = ", "
	case e.Row > 0:
		fmt.Fprintf(&b, ": row %d", e.Row)
		sep = ", "
	}
	if e.Column > 0 {
		fmt.Fprintf(&b, "%scolumn %d", sep, e.Column)
		if e.Name != "" {
			fmt.Fprintf(&b, " (%s)", QuoteCapped(e.Name))
		}
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns the underlying error.
func (e *ParseError) Unwrap() error { return e.Err }

// fileErr is a ParseError about the whole file.
func fileErr(file, format string, args ...any) *ParseError {
	return &ParseError{File: file, Err: fmt.Errorf(format, args...)}
}
