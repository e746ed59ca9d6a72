package modelfile

import (
	"fmt"

	"github.com/affineflow/flow/distributions"
)

// Limits on what a model file may make a program allocate. A model file is untrusted input:
// every number in it that sizes an allocation is checked against one of these before it is
// used, and everything else a file allocates is a copy of JSON arrays whose text was already
// read, so loading needs memory in proportion to the file's size: 4 times for a trained model,
// up to about 10 times for one whose numbers are all 0 (two bytes of text, eight in memory).
// Unmarshal applies them all but MaxFileSize; Marshal refuses a model that exceeds any of them,
// so that every file written loads. The learnable parameters of the base and all layers together
// are bounded by distributions.MaxParams.
const (
	// MaxFileSize bounds the size of a file Load reads: 1 GiB. The largest model this project
	// trains, a MAF-5 on MNIST with hidden 1024,1024 (17.3 M parameters), writes 406 MB.
	MaxFileSize = 1 << 30
	// MaxMetaBytes bounds the JSON text of "meta", measured before it is parsed: 4 MiB, room for
	// the names of MaxDim columns of 60 characters. Parsed into map[string]any, meta takes up
	// to about 25 times its text (a 200 MB meta took 4.4 GB).
	MaxMetaBytes = 1 << 22
	// MaxDim bounds "dim" (D) and every layer's "context" (C): 65536 (MNIST has 784 dimensions,
	// CIFAR-10 3072). A file with a normal or Student-t base and no layers holds no array of
	// length D, so D itself must be bounded: `flow sample` allocates n·D values.
	MaxDim = 1 << 16
	// MaxLayers bounds the length of "layers": 1024. Each layer costs about 1.5 KB beyond its
	// parameters, 25 times the text of the smallest layer.
	MaxLayers = 1 << 10
	// MaxNetDepth bounds the entries of one layer's "net": 64. Each entry costs about 2 KB
	// beyond its parameters, 40 times the text of the smallest entry.
	MaxNetDepth = 1 << 6
	// MaxLogScale bounds |log_std| of a diagonal_normal base and |log_scale| of an
	// elementwise_affine layer: 300, so that exp(±2·300) ≈ 1e±260 is finite and a value of
	// moderate size scaled by exp(±300) can still be squared (exp overflows beyond 709.78).
	MaxLogScale = 300
)

// Limits that tests lower; always MaxFileSize and distributions.MaxParams otherwise.
var (
	fileSizeLimit int64 = MaxFileSize
	paramLimit          = distributions.MaxParams
)

// overLimit ends the message of a refusal: "over the limit modelfile.MaxDim = 65536".
func overLimit(name string, limit int64) string {
	return fmt.Sprintf("over the limit %s = %d", name, limit)
}
