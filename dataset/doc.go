// Package dataset reads and writes the data matrices that flows are trained on: CSV files with a
// header row and NumPy .npy files (Load, ReadCSV, ReadNPY, WriteCSV, CSVWriter), and the splits
// of a data set folder (LoadSplits). Rows are samples, columns variables. Files are written
// through internal/atomicfile (a temporary file renamed over the target).
//
// Untrusted files: readers never panic, echo at most 40 bytes of a field or name in an error, and
// allocate in proportion to the file's size (a CSV line holds at most MaxLineBytes, a header at
// most MaxColumns names); FuzzReadCSV and FuzzReadNPY keep it so.
//
// Shapes: a data set is an N×D *mat.Dense of float64 (gonum), rows are samples and columns are
// features, as everywhere in this module. A Table pairs the matrix with its D column names. gonum
// has no empty matrices, so a Table always has N ≥ 1 and D ≥ 1; reading a file without data rows
// is an error.
//
// Values: every value must be finite. Reading rejects NaN, ±Inf, text, empty fields and rows whose
// width differs from the header's. Writing goes through one CSVWriter (WriteCSV for files, or
// NewCSVWriter on any io.Writer such as standard output), which rejects non-finite values and
// names ReadCSV would not give back, so whatever it writes, ReadCSV reads back bit for bit.
//
// Errors: every problem with a file's content is a *ParseError. Its message names the file and,
// where they apply, the line, row and column, e.g.
//
//	data.csv: line 5 (row 4), column 3 ("Voltage"): "abc" is not a number
//
// Line is the physical line in the file, counting the header as line 1 (a quoted field may span
// lines, so it can differ from row+1). Row is the 1-based data row: the first row after the header
// is row 1; in an .npy file it is the 1-based index along the first axis. Column is 1-based and is
// followed by the column's name (for .npy files the names are x0…x{D-1}, so column 3 is "x2").
// Text quoted from a file (a field, a column name, a dtype) is shortened to about 40 bytes followed
// by "…" and its length in bytes, e.g. "xxxx"… (10485760 bytes), so that a huge field cannot flood
// the error output.
// Failing to open a file returns the *fs.PathError from os.Open unchanged.
package dataset
