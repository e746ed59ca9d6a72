package dataset

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/require"
)

// npyFile returns an .npy file of format version major.0: the magic string, the version, the
// little-endian header length, the dictionary padded with spaces and a newline so that the payload
// starts at a multiple of 64 bytes (as numpy writes it), then the payload.
func npyFile(major byte, dict string, payload []byte) []byte {
	lenSize := 2
	if major > 1 {
		lenSize = 4
	}
	hlen := len(dict) + 1
	hlen += (64 - (8+lenSize+hlen)%64) % 64
	b := append([]byte("\x93NUMPY"), major, 0)
	if lenSize == 2 {
		b = binary.LittleEndian.AppendUint16(b, uint16(hlen))
	} else {
		b = binary.LittleEndian.AppendUint32(b, uint32(hlen))
	}
	b = append(b, dict+strings.Repeat(" ", hlen-len(dict)-1)+"\n"...)
	return append(b, payload...)
}

// npyDict is the header dictionary as numpy writes it.
func npyDict(descr string, fortran bool, shape string) string {
	order := "False"
	if fortran {
		order = "True"
	}
	return fmt.Sprintf("{'descr': '%s', 'fortran_order': %s, 'shape': %s, }", descr, order, shape)
}

// npyPayload encodes vals, in the order given, as the dtype descr ('<f4', '>f4', '<f8', '>f8').
func npyPayload(descr string, vals ...float64) []byte {
	var order binary.AppendByteOrder = binary.LittleEndian
	if descr[0] == '>' {
		order = binary.BigEndian
	}
	var b []byte
	for _, v := range vals {
		if descr[1:] == "f4" {
			b = order.AppendUint32(b, math.Float32bits(float32(v)))
		} else {
			b = order.AppendUint64(b, math.Float64bits(v))
		}
	}
	return b
}

func TestReadNPYLiteral(t *testing.T) {
	// Byte for byte what numpy writes for np.array([[1, -1.5]], dtype='>f4') and
	// np.array([[1], [0.5], [-2]]) (little-endian float64).
	pad := func(dict string) string { return dict + strings.Repeat(" ", 117-len(dict)) + "\n" }
	f4 := "\x93NUMPY\x01\x00\x76\x00" + pad("{'descr': '>f4', 'fortran_order': False, 'shape': (1, 2), }") +
		"\x3f\x80\x00\x00\xbf\xc0\x00\x00"
	f8 := "\x93NUMPY\x01\x00\x76\x00" + pad("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 1), }") +
		"\x00\x00\x00\x00\x00\x00\xf0\x3f\x00\x00\x00\x00\x00\x00\xe0\x3f\x00\x00\x00\x00\x00\x00\x00\xc0"
	require.Len(t, f4, 128+8)

	tab, err := ReadNPY(strings.NewReader(f4), "f4.npy")
	require.NoError(t, err)
	require.Equal(t, []string{"x0", "x1"}, tab.Columns)
	require.Equal(t, []float64{1, -1.5}, tab.X.RawMatrix().Data)

	tab, err = ReadNPY(strings.NewReader(f8), "f8.npy")
	require.NoError(t, err)
	require.Equal(t, []string{"x0"}, tab.Columns)
	r, c := tab.X.Dims()
	require.Equal(t, [2]int{3, 1}, [2]int{r, c})
	require.Equal(t, []float64{1, 0.5, -2}, tab.X.RawMatrix().Data)
}

func TestReadNPY(t *testing.T) {
	m := [][]float64{{1, -2.5, 0.1}, {4e-3, 5, -6e30}} // 2×3
	cOrder := []float64{m[0][0], m[0][1], m[0][2], m[1][0], m[1][1], m[1][2]}
	fOrder := []float64{m[0][0], m[1][0], m[0][1], m[1][1], m[0][2], m[1][2]}
	for _, descr := range []string{"<f4", ">f4", "<f8", ">f8"} {
		want := cOrder
		if descr[1:] == "f4" {
			want = make([]float64, len(cOrder))
			for i, v := range cOrder {
				want[i] = float64(float32(v))
			}
		}
		for _, fortran := range []bool{false, true} {
			vals := cOrder
			if fortran {
				vals = fOrder
			}
			for _, major := range []byte{1, 2, 3} {
				t.Run(fmt.Sprintf("%s fortran=%v v%d", descr, fortran, major), func(t *testing.T) {
					b := npyFile(major, npyDict(descr, fortran, "(2, 3)"), npyPayload(descr, vals...))
					tab, err := ReadNPY(bytes.NewReader(b), "x.npy")
					require.NoError(t, err)
					require.Equal(t, []string{"x0", "x1", "x2"}, tab.Columns)
					r, c := tab.X.Dims()
					require.Equal(t, [2]int{2, 3}, [2]int{r, c})
					require.Equal(t, want, tab.X.RawMatrix().Data)
				})
			}
		}
	}
}

func TestReadNPYHeaderSyntax(t *testing.T) {
	p := npyPayload("<f8", 1, 2, 3, 4, 5, 6)
	for _, dict := range []string{
		`{"shape": (2, 3), "fortran_order": False, "descr": "<f8"}`,
		`{'descr':'<f8','fortran_order':False,'shape':(2,3)}`,
		`{'descr': '<f8', 'fortran_order': False, 'shape': (2L, 3L), }`,
		`{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3,), }`,
	} {
		t.Run(dict, func(t *testing.T) {
			tab, err := ReadNPY(bytes.NewReader(npyFile(1, dict, p)), "x.npy")
			require.NoError(t, err)
			require.Equal(t, []float64{1, 2, 3, 4, 5, 6}, tab.X.RawMatrix().Data)
		})
	}
	// No padding and no newline after the dictionary.
	dict := npyDict("<f8", false, "(2, 3)")
	b := append(append([]byte("\x93NUMPY\x01\x00"), byte(len(dict)), 0), dict...)
	_, err := ReadNPY(bytes.NewReader(append(b, p...)), "x.npy")
	require.NoError(t, err)
}

func TestReadNPYErrors(t *testing.T) {
	f8 := func(shape string, vals ...float64) []byte {
		return npyFile(1, npyDict("<f8", false, shape), npyPayload("<f8", vals...))
	}
	six := []float64{1, 2, 3, 4, 5, 6}
	const supported = "(supported: float32 or float64, '<f4', '>f4', '<f8', '>f8')"
	cases := []struct {
		name string
		in   []byte
		want string
	}{
		{"1-D", f8("(6,)", six...), "x.npy: array has shape (6,) (1-D); want a 2-D array (rows, columns)"},
		{"3-D", f8("(1, 2, 3)", six...), "x.npy: array has shape (1, 2, 3) (3-D); want a 2-D array (rows, columns)"},
		{"0-D", f8("()", 1), "x.npy: array has shape () (0-D); want a 2-D array (rows, columns)"},
		{"int64", npyFile(1, npyDict("<i8", false, "(2, 3)"), make([]byte, 48)), `x.npy: unsupported dtype "<i8" ` + supported},
		{"complex128", npyFile(1, npyDict("<c16", false, "(1, 1)"), make([]byte, 16)), `x.npy: unsupported dtype "<c16" ` + supported},
		{"float16", npyFile(1, npyDict("<f2", false, "(1, 1)"), make([]byte, 2)), `x.npy: unsupported dtype "<f2" ` + supported},
		{"structured", npyFile(1, `{'descr': [('a', '<f8'), ('b', '<i4', (2,))], 'fortran_order': False, 'shape': (1,), }`, make([]byte, 16)),
			`x.npy: array has shape (1,) (1-D); want a 2-D array (rows, columns)`},
		{"structured 2-D", npyFile(1, `{'descr': [('a', '<f8'), ('b', '<i4', (2,))], 'fortran_order': False, 'shape': (1, 1), }`, make([]byte, 16)),
			`x.npy: unsupported dtype "[('a', '<f8'), ('b', '<i4', (2,))]" ` + supported},
		{"truncated payload", f8("(2, 3)", six...)[:128+40], `x.npy: truncated payload: 40 of 48 bytes (shape (2, 3), dtype "<f8")`},
		{"no payload", f8("(2, 3)"), `x.npy: truncated payload: 0 of 48 bytes (shape (2, 3), dtype "<f8")`},
		{"huge shape, no payload", f8("(1000000000000, 1000)"), `x.npy: truncated payload: 0 of 8000000000000000 bytes (shape (1000000000000, 1000), dtype "<f8")`},
		{"shape overflows", f8("(4611686018427387904, 4)"), "x.npy: shape (4611686018427387904, 4) is too large"},
		{"extra data", f8("(2, 2)", six...), `x.npy: data after the payload: shape (2, 2) and dtype "<f8" account for 32 bytes`},
		{"NaN float64", f8("(2, 3)", 1, 2, 3, 4, 5, math.NaN()), `x.npy: row 2, column 3 ("x2"): NaN is not finite`},
		{"+Inf float32", npyFile(1, npyDict("<f4", false, "(2, 3)"), npyPayload("<f4", 1, math.Inf(1), 3, 4, 5, 6)),
			`x.npy: row 1, column 2 ("x1"): +Inf is not finite`},
		{"-Inf big-endian", npyFile(2, npyDict(">f8", false, "(3, 2)"), npyPayload(">f8", 1, 2, 3, 4, math.Inf(-1), 6)),
			`x.npy: row 3, column 1 ("x0"): -Inf is not finite`},
		// Flat index 1 of a Fortran-order 2×3 array is row 2, column 1 (in C order: row 1, column 2).
		{"NaN Fortran", npyFile(1, npyDict("<f8", true, "(2, 3)"), npyPayload("<f8", 1, math.NaN(), 3, 4, 5, 6)),
			`x.npy: row 2, column 1 ("x0"): NaN is not finite`},
		{"float32 -Inf bits, Fortran", npyFile(1, npyDict("<f4", true, "(2, 3)"), append(npyPayload("<f4", 1, 2, 3, 4, 5), 0, 0, 0x80, 0xff)),
			`x.npy: row 2, column 3 ("x2"): -Inf is not finite`},
		{"zero rows", f8("(0, 3)"), "x.npy: no data rows (shape (0, 3))"},
		{"zero columns", f8("(3, 0)"), "x.npy: no columns (shape (3, 0))"},
		{"empty file", nil, "x.npy: empty file"},
		{"too short", []byte("\x93NUM"), "x.npy: not a NumPy .npy file (too short)"},
		{"CSV given as npy", []byte("a,b\n1,2\n"), `x.npy: not a NumPy .npy file (no "\x93NUMPY" magic string)`},
		{"version 4", append([]byte("\x93NUMPY\x04\x00"), 0, 0), "x.npy: unsupported .npy format version 4.0 (supported: 1.0, 2.0, 3.0)"},
		{"truncated header", f8("(2, 3)", six...)[:50], "x.npy: truncated .npy header (118 bytes announced)"},
		{"truncated length", []byte("\x93NUMPY\x02\x00\x10\x00"), "x.npy: truncated .npy header"},
		{"huge header", []byte("\x93NUMPY\x02\x00\x00\x00\x00\x10"), "x.npy: implausible .npy header length 268435456 bytes"},
		{"missing key", npyFile(1, `{'descr': '<f8', 'shape': (1, 1)}`, make([]byte, 8)),
			`x.npy: malformed .npy header "{'descr': '<f8', 'shape': (1, 1)}": no "fortran_order" key`},
		{"unknown key", npyFile(1, `{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1), 'x': 1}`, make([]byte, 8)),
			`x.npy: malformed .npy header "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1), 'x': 1}": unknown key "x"`},
		{"bad fortran_order", npyFile(1, `{'descr': '<f8', 'fortran_order': 0, 'shape': (1, 1)}`, make([]byte, 8)),
			`x.npy: malformed .npy header "{'descr': '<f8', 'fortran_order': 0, 'shape': (1, 1)}": "fortran_order": want True or False at byte 34, got "0, 'shape': (1, 1)}"`},
		{"negative dimension", f8("(-1, 3)"),
			`x.npy: malformed .npy header "{'descr': '<f8', 'fortran_order': False, 'shape': (-1, 3), }": "shape": want a non-negative integer at byte 51, got "-1, 3), }"`},
		{"missing comma", npyFile(1, `{'descr': '<f8' 'fortran_order': False, 'shape': (1, 1)}`, make([]byte, 8)),
			`x.npy: malformed .npy header "{'descr': '<f8' 'fortran_order': False, 'shape': (1, 1)}": want ',' or '}' at byte 16, got "'fortran_order': Fal"…`},
		{"unterminated", npyFile(1, `{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1)`, make([]byte, 8)),
			`x.npy: malformed .npy header "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1)": want ',' or '}', got end of header`},
		{"not a dict", npyFile(1, `['descr', '<f8']`, nil), `x.npy: malformed .npy header "['descr', '<f8']": want '{' at byte 0, got "['descr', '<f8']"`},
		{"unquoted key", npyFile(1, `{descr: '<f8'}`, nil), `x.npy: malformed .npy header "{descr: '<f8'}": want a quoted string at byte 1, got "descr: '<f8'}"`},
		{"no colon", npyFile(1, `{'descr' '<f8'}`, nil), `x.npy: malformed .npy header "{'descr' '<f8'}": want ':' at byte 9, got "'<f8'}"`},
		{"unterminated string", npyFile(1, `{'descr': '<f8}`, nil), `x.npy: malformed .npy header "{'descr': '<f8}": "descr": unterminated string`},
		{"unterminated list", npyFile(1, `{'descr': [('a', '<f8')}`, nil), `x.npy: malformed .npy header "{'descr': [('a', '<f8')}": "descr": unterminated list`},
		{"unterminated list string", npyFile(1, `{'descr': [('a', '<f8)]}`, nil), `x.npy: malformed .npy header "{'descr': [('a', '<f8)]}": "descr": unterminated string`},
		{"shape not a tuple", npyFile(1, `{'shape': [2, 3]}`, nil), `x.npy: malformed .npy header "{'shape': [2, 3]}": "shape": want '(' at byte 10, got "[2, 3]}"`},
		{"shape separator", npyFile(1, `{'shape': (2 3)}`, nil), `x.npy: malformed .npy header "{'shape': (2 3)}": "shape": want ',' or ')' at byte 13, got "3)}"`},
		{"trailing text", npyFile(1, `{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1)} x`, make([]byte, 8)),
			`x.npy: malformed .npy header "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1)} x": unexpected "x" after the dictionary`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadNPY(bytes.NewReader(c.in), "x.npy")
			require.EqualError(t, err, c.want)
			var pe *ParseError
			require.ErrorAs(t, err, &pe)
		})
	}
}

func TestReadNPYReadError(t *testing.T) {
	boom := errors.New("boom")
	head := npyFile(1, npyDict("<f8", false, "(1, 1)"), nil)
	_, err := ReadNPY(io.MultiReader(bytes.NewReader(head), iotest.ErrReader(boom)), "x.npy")
	require.EqualError(t, err, "x.npy: read: boom")
	require.ErrorIs(t, err, boom)
	for _, n := range []int{0, 9, 20} { // in the magic string, the header length, the header
		_, err = ReadNPY(io.MultiReader(bytes.NewReader(head[:n]), iotest.ErrReader(boom)), "x.npy")
		require.EqualError(t, err, "x.npy: read: boom")
	}
}

func TestLoadNPY(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f.npy")
	b := npyFile(1, npyDict(">f4", true, "(2, 2)"), npyPayload(">f4", 1, 2, 3, 4))
	require.NoError(t, os.WriteFile(p, b, 0o644))
	tab, err := Load(p)
	require.NoError(t, err)
	require.Equal(t, []float64{1, 3, 2, 4}, tab.X.RawMatrix().Data)

	require.NoError(t, os.WriteFile(p, b[:len(b)-1], 0o644))
	_, err = Load(p)
	require.EqualError(t, err, p+`: truncated payload: 15 of 16 bytes (shape (2, 2), dtype ">f4")`)
}
