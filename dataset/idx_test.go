package dataset

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// idxFile returns an IDX file: the big-endian magic, the big-endian dimension sizes, the payload.
func idxFile(magic uint32, dims []uint32, payload []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, magic)
	for _, d := range dims {
		b = binary.BigEndian.AppendUint32(b, d)
	}
	return append(b, payload...)
}

func TestReadIDXImages(t *testing.T) {
	// Two images of 2×3 pixels, written by hand: magic 00 00 08 03, N = 2, rows = 2, cols = 3.
	file := []byte{
		0x00, 0x00, 0x08, 0x03,
		0x00, 0x00, 0x00, 0x02,
		0x00, 0x00, 0x00, 0x02,
		0x00, 0x00, 0x00, 0x03,
		0, 1, 2, 3, 4, 255, // image 1, row-major
		128, 0, 0, 0, 7, 9, // image 2
	}
	x, err := ReadIDX(bytes.NewReader(file), "img")
	require.NoError(t, err)
	n, d := x.Dims()
	require.Equal(t, [2]int{2, 6}, [2]int{n, d})
	require.Equal(t, []float64{0, 1, 2, 3, 4, 255}, x.RawRowView(0))
	require.Equal(t, []float64{128, 0, 0, 0, 7, 9}, x.RawRowView(1))
}

func TestReadIDXLabels(t *testing.T) {
	file := []byte{0x00, 0x00, 0x08, 0x01, 0x00, 0x00, 0x00, 0x03, 7, 2, 1}
	x, err := ReadIDX(bytes.NewReader(file), "lab")
	require.NoError(t, err)
	n, d := x.Dims()
	require.Equal(t, [2]int{3, 1}, [2]int{n, d})
	require.Equal(t, []float64{7, 2, 1}, x.RawMatrix().Data)
}

func TestReadIDXErrors(t *testing.T) {
	img := idxFile(0x803, []uint32{2, 2, 2}, []byte{1, 2, 3, 4, 5, 6, 7, 8})
	cases := []struct {
		name string
		file []byte
		want string
	}{
		{"empty", nil, "f.idx: truncated IDX header: 0 of 4 bytes of the magic number"},
		{"short magic", []byte{0, 0, 8}, "f.idx: truncated IDX header: 3 of 4 bytes of the magic number"},
		{"float images", idxFile(0x0d03, []uint32{1, 1, 1}, make([]byte, 4)),
			"f.idx: bad IDX magic number 0x00000d03: want 0x00000803 (unsigned-byte images) or 0x00000801 (unsigned-byte labels)"},
		{"little-endian magic", []byte{3, 8, 0, 0, 1, 0, 0, 0}, "f.idx: bad IDX magic number 0x03080000"},
		{"gzip", []byte{0x1f, 0x8b, 0x08, 0x08, 0, 0}, "f.idx: gzip-compressed (magic 0x1f8b); decompress it first (gunzip)"},
		{"short dims", img[:10], "f.idx: truncated IDX header: 6 of 12 bytes of the dimension sizes"},
		{"zero images", idxFile(0x803, []uint32{0, 2, 2}, nil), "f.idx: IDX dimension 1 has size 0"},
		{"zero cols", idxFile(0x803, []uint32{1, 2, 0}, nil), "f.idx: IDX dimension 3 has size 0"},
		{"truncated payload", img[:len(img)-3], "f.idx: truncated IDX payload: 5 of 8 bytes (shape [2 2 2])"},
		{"no payload", idxFile(0x801, []uint32{4}, nil), "f.idx: truncated IDX payload: 0 of 4 bytes (shape [4])"},
		{"huge header", idxFile(0x803, []uint32{0xffffffff, 0xffffffff, 0xffffffff}, []byte{1}), "f.idx: IDX image size"},
		{"trailing data", append(append([]byte{}, img...), 0), "f.idx: data after the IDX payload: shape [2 2 2] accounts for 8 bytes"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x, err := ReadIDX(bytes.NewReader(c.file), "f.idx")
			require.Nil(t, x)
			require.ErrorContains(t, err, c.want)
			var pe *ParseError
			require.True(t, errors.As(err, &pe), "%T is not a *ParseError", err)
			require.Equal(t, "f.idx", pe.File)
		})
	}
}

// TestReadIDXMNIST reads the real MNIST test images when fetch.sh has put them in the cache
// (MNIST_DIR or ~/.cache/affineflow/mnist); skipped otherwise.
func TestReadIDXMNIST(t *testing.T) {
	dir := os.Getenv("MNIST_DIR")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			t.Skip("no home directory")
		}
		dir = filepath.Join(home, ".cache", "affineflow", "mnist")
	}
	for _, c := range []struct {
		file string
		n, d int
	}{{"t10k-images-idx3-ubyte", 10000, 784}, {"t10k-labels-idx1-ubyte", 10000, 1}} {
		f, err := os.Open(filepath.Join(dir, c.file))
		if err != nil {
			t.Skipf("MNIST not fetched: %v", err)
		}
		x, err := ReadIDX(f, c.file)
		f.Close()
		require.NoError(t, err)
		n, d := x.Dims()
		require.Equal(t, [2]int{c.n, c.d}, [2]int{n, d})
		lo, hi := 255.0, 0.0
		for _, v := range x.RawMatrix().Data {
			lo, hi = min(lo, v), max(hi, v)
		}
		if d == 1 {
			require.Equal(t, [2]float64{0, 9}, [2]float64{lo, hi})
			require.Equal(t, 7.0, x.At(0, 0)) // the first test digit is a 7
		} else {
			require.Equal(t, [2]float64{0, 255}, [2]float64{lo, hi})
		}
	}
}
