package dataset

import (
	"encoding/binary"
	"io"
	"math"

	"gonum.org/v1/gonum/mat"
)

// IDX magic numbers of the unsigned-byte files ReadIDX reads (LeCun's MNIST format): two zero bytes,
// the element type 0x08 (unsigned byte) and the number of dimensions.
const (
	idxLabels = 0x00000801 // N
	idxImages = 0x00000803 // N × rows × cols
)

// ReadIDX reads an unsigned-byte IDX file, the format of the original MNIST files; name is used in
// error messages. Two kinds are accepted, told apart by the big-endian magic number:
//
//   - 0x00000803, images (N × rows × cols): the result is N×(rows·cols), each row one image in
//     row-major pixel order;
//   - 0x00000801, labels (N): the result is N×1.
//
// Values are the raw bytes 0…255 as float64 (no scaling). The dimension sizes are big-endian
// uint32 after the magic; every size must be at least 1 and the payload must be exactly as long as
// they say. Every error is a *ParseError naming the file: a wrong magic number (with a hint when
// the file is still gzip-compressed), a truncated header or payload (with the byte counts), data
// after the payload.
func ReadIDX(r io.Reader, name string) (*mat.Dense, error) {
	var head [4]byte
	if n, err := io.ReadFull(r, head[:]); err != nil {
		return nil, fileErr(name, "truncated IDX header: %d of 4 bytes of the magic number", n)
	}
	magic := binary.BigEndian.Uint32(head[:])
	var ndims int
	switch magic {
	case idxImages:
		ndims = 3
	case idxLabels:
		ndims = 1
	default:
		if head[0] == 0x1f && head[1] == 0x8b {
			return nil, fileErr(name, "gzip-compressed (magic 0x1f8b); decompress it first (gunzip)")
		}
		return nil, fileErr(name, "bad IDX magic number 0x%08x: want 0x%08x (unsigned-byte images) or 0x%08x (unsigned-byte labels)",
			magic, idxImages, idxLabels)
	}

	dimBytes := make([]byte, 4*ndims)
	if n, err := io.ReadFull(r, dimBytes); err != nil {
		return nil, fileErr(name, "truncated IDX header: %d of %d bytes of the dimension sizes", n, len(dimBytes))
	}
	dims := make([]int, ndims)
	for k := range dims {
		v := binary.BigEndian.Uint32(dimBytes[4*k:])
		if v == 0 {
			return nil, fileErr(name, "IDX dimension %d has size 0", k+1)
		}
		dims[k] = int(v)
	}
	n, d := dims[0], 1
	for _, v := range dims[1:] {
		if d > math.MaxInt32/v {
			return nil, fileErr(name, "IDX image size %v is too large", dims[1:])
		}
		d *= v
	}
	if n > math.MaxInt/8/d {
		return nil, fileErr(name, "IDX shape %v is too large", dims)
	}
	want := n * d

	// Read no more than the file holds before allocating the matrix, so a corrupt header cannot
	// trigger a huge allocation.
	raw, err := io.ReadAll(io.LimitReader(r, int64(want)+1))
	if err != nil {
		return nil, fileErr(name, "read: %w", err)
	}
	switch {
	case len(raw) < want:
		return nil, fileErr(name, "truncated IDX payload: %d of %d bytes (shape %v)", len(raw), want, dims)
	case len(raw) > want:
		return nil, fileErr(name, "data after the IDX payload: shape %v accounts for %d bytes", dims, want)
	}
	x := make([]float64, want)
	for k, b := range raw {
		x[k] = float64(b)
	}
	return mat.NewDense(n, d, x), nil
}
