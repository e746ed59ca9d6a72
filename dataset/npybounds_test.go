package dataset

import (
	"bytes"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestReadNPYHugeShapeSmallFile checks that a small file claiming a huge shape is refused without
// allocating for the shape: the payload is read (bounded by what the file holds) before the matrix
// is allocated.
func TestReadNPYHugeShapeSmallFile(t *testing.T) {
	cases := []struct {
		name        string
		descr       string
		fortran     bool
		shape, want string
	}{
		{"1e9 x 1e9 float64", "<f8", false, "(1000000000, 1000000000)",
			`x.npy: truncated payload: 64 of 8000000000000000000 bytes (shape (1000000000, 1000000000), dtype "<f8")`},
		{"1e9 x 1e9 float32 Fortran", ">f4", true, "(1000000000, 1000000000)",
			`x.npy: truncated payload: 64 of 4000000000000000000 bytes (shape (1000000000, 1000000000), dtype ">f4")`},
		{"overflowing", "<f8", false, "(9223372036854775807, 9223372036854775807)",
			"x.npy: shape (9223372036854775807, 9223372036854775807) is too large"},
		{"number too long", "<f8", false, "(99999999999999999999, 1)",
			`x.npy: malformed .npy header "{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999, 1), }": ` +
				`"shape": want a non-negative integer at byte 51, got "99999999999999999999"…`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := npyFile(1, npyDict(c.descr, c.fortran, c.shape), make([]byte, 64))
			var err error
			alloc := allocated(func() { _, err = ReadNPY(bytes.NewReader(b), "x.npy") })
			require.EqualError(t, err, c.want)
			require.Less(t, alloc, uint64(64<<10), "allocated %d bytes for a %d-byte file", alloc, len(b))
		})
	}
}

// allocated returns the bytes allocated while f runs.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}
