package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/affineflow/flow/internal/atomicfile"
)

// checkOutputs checks, before any training, that -out and -checkpoint can be written and are
// neither an input (-train, -val, -test) nor each other: a bad output path used to fail only
// after the fit, or to overwrite the training data.
func (f fitFlags) checkOutputs() error {
	if err := checkOutput("out", f.out, f.inputs()...); err != nil {
		return err
	}
	if f.checkpoint == "" {
		return nil
	}
	return f.checkCheckpoint(f.checkpoint)
}

// checkCheckpoint checks a checkpoint file ck as checkOutputs does (-checkpoint, or F.NAME of a
// candidate of a selection).
func (f fitFlags) checkCheckpoint(ck string) error {
	if sameFile(f.out, ck) {
		return usagef("-out and -checkpoint name the same file %s", f.out)
	}
	return checkOutput("checkpoint", ck, f.inputs()...)
}

// inputs are the data files of a fit.
func (f fitFlags) inputs() []string { return []string{f.train, f.val, f.test} }

// checkOutput is atomicfile.CheckOutput for the output of flag name.
func checkOutput(name, path string, inputs ...string) error {
	if err := atomicfile.CheckOutput(path, inputs...); err != nil {
		return fmt.Errorf("-%s: %w", name, err)
	}
	return nil
}

// sameFile reports whether a and b are one file: the same cleaned absolute path, or (when both
// exist) os.SameFile.
func sameFile(a, b string) bool {
	if aa, err1 := filepath.Abs(a); err1 == nil {
		if bb, err2 := filepath.Abs(b); err2 == nil && aa == bb {
			return true
		}
	}
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}
