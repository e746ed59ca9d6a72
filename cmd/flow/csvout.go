package main

import (
	"bufio"
	"fmt"
	"io"

	"github.com/affineflow/flow/internal/atomicfile"

	"github.com/affineflow/flow/dataset"
)

// writeCSVOutput writes a CSV with the header cols, the rows coming from write, through one
// writer (dataset.CSVWriter: quoting, full precision, non-finite values refused): to path
// atomically (atomicfile.WriteFileAtomic), or to stdout when path is "".
func writeCSVOutput(path string, stdout io.Writer, cols []string, write func(*dataset.CSVWriter) error) error {
	emit := func(w io.Writer) error {
		cw, err := dataset.NewCSVWriter(w, cols)
		if err != nil {
			return err
		}
		if err := write(cw); err != nil {
			return err
		}
		return cw.Flush()
	}
	if path != "" {
		return atomicfile.WriteFileAtomic(path, emit)
	}
	bw := bufio.NewWriterSize(stdout, 1<<16)
	if err := emit(bw); err != nil {
		_ = bw.Flush()
		return fmt.Errorf("standard output: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("standard output: %w", err)
	}
	return nil
}
