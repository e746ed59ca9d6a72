// Package atomicfile writes output files so that a failed or killed writer never leaves a
// half-written file (WriteFileAtomic: a temporary file beside the target, fsynced and renamed over
// it), and tells before long work whether a path can be written and is not one of the inputs
// (CheckOutput). Every output of the project goes through it: model files, checkpoints, CSV
// tables, figures.
package atomicfile
