package modelfile

import "gonum.org/v1/gonum/mat"

// SetTestLimits lowers MaxFileSize and distributions.MaxParams, which a test cannot reach, for
// the package's code until the returned function restores them.
func SetTestLimits(fileSize int64, params int) (restore func()) {
	oldSize, oldParams := fileSizeLimit, paramLimit
	fileSizeLimit, paramLimit = fileSize, params
	return func() { fileSizeLimit, paramLimit = oldSize, oldParams }
}

// ProbeRows are the rows at which Unmarshal checks that the density is finite.
func ProbeRows(d int) *mat.Dense { return probeRows(d) }
