package dataset

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// maxMessage bounds the length of any error message about a fuzzed file: quoted file text is
// capped, so a message stays short whatever the input.
const maxMessage = 400

// checkReadResult checks what a reader returned for a fuzzed file called name: either a
// *ParseError naming the file with a short message, or a table whose names are valid and match
// the matrix's width and whose values are all finite.
func checkReadResult(t *testing.T, name string, tab *Table, err error) {
	t.Helper()
	if err != nil {
		require.Nil(t, tab)
		var pe *ParseError
		require.True(t, errors.As(err, &pe), "%T is not a *ParseError: %v", err, err)
		require.Equal(t, name, pe.File)
		msg := err.Error()
		require.True(t, strings.HasPrefix(msg, name+": "), "%q does not name the file", msg)
		require.LessOrEqual(t, len(msg), maxMessage, "message of %d bytes: %.500q", len(msg), msg)
		return
	}
	require.NotNil(t, tab)
	n, d := tab.X.Dims()
	require.GreaterOrEqual(t, n, 1)
	require.Len(t, tab.Columns, d)
	j, nameErr := checkNames(tab.Columns)
	require.NoError(t, nameErr, "column %d", j)
	for _, v := range tab.X.RawMatrix().Data {
		require.False(t, math.IsNaN(v) || math.IsInf(v, 0), "value %v", v)
	}
}

// roundTripCSV writes tab with a CSVWriter, reads it back with ReadCSV and checks that the names
// and bits are the same; it returns the bytes written.
func roundTripCSV(t *testing.T, tab *Table) []byte {
	t.Helper()
	var buf bytes.Buffer
	cw, err := NewCSVWriter(&buf, tab.Columns)
	require.NoError(t, err)
	require.NoError(t, cw.Write(tab.X))
	require.NoError(t, cw.Flush())
	out := bytes.Clone(buf.Bytes())

	back, err := ReadCSV(&buf, "back.csv")
	require.NoError(t, err, "reading back %.300q", out)
	require.Equal(t, tab.Columns, back.Columns)
	want, got := tab.X.RawMatrix().Data, back.X.RawMatrix().Data
	require.Len(t, got, len(want))
	for i := range want {
		require.Equal(t, math.Float64bits(want[i]), math.Float64bits(got[i]), "value %d: %v vs %v", i, want[i], got[i])
	}
	return out
}

// unwritable reports whether NewCSVWriter must refuse names that ReadCSV returned: the first
// starts with a byte order mark, or one holds a CR LF pair.
func unwritable(cols []string) bool {
	for _, c := range cols {
		if strings.Contains(c, "\r\n") {
			return true
		}
	}
	return strings.HasPrefix(cols[0], "\ufeff")
}

func FuzzReadCSV(f *testing.F) {
	for _, s := range []string{
		"a,b\n1,2.5\n-3e-2,4\n",
		"a,b\n1,2.5\n-3e-2,4",
		"a,b\r\n1,2\r\n3,4\r\n",
		"\ufeffa,b\n1,2\n",
		"\ufeff\ufeffa,b\n1,2\n",
		"\ufeffa,b\r\n1,2\r\n",
		" a ,\tb\n 1 ,2.5\t\n",
		"\"a\",\"b\"\n\"1\",\" 2.5 \"\n",
		"\"x,y\",\"say \"\"hi\"\"\",c\n1,2,3\n",
		"a,\"b\nB\"\n1,2\n3,x\n",
		"a,\"b\r\nB\"\n1,2\n",
		"a,b\n\n1,2\n\n",
		"a,b\n+1,2.50\n-.03,4.\n0x1p-2,6e0\n",
		"a,b\n1,2,3\n",
		"a,b,c\n1,2\n",
		"a,b\n1,2\n3,4,\n",
		"a,b\n1,NaN\n",
		"a,b\n1,Inf\n",
		"a,b\n1,-inf\n",
		"a,b\n1,1e999\n",
		"a,b\n1,-0\n",
		"a,b\n5e-324,1.7976931348623157e308\n",
		"a,b\n1_000,0b1\n",
		"a,b\n1,\n",
		"a,a\n1,2\n",
		"a,,c\n1,2,3\n",
		"a,b\n",
		"",
		"\ufeff",
		"\n\r\n",
		"a,b\n1,2\n3,4\"x\n",
		"a,b\n1,\"2\n",
		"a\n\"\"\"\"\n",
		"é,\xff\n1,2\n",
		"a\r\n1\r",
		"#a,b\n1,2\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		tab, err := ReadCSV(bytes.NewReader(in), "fuzz.csv")
		checkReadResult(t, "fuzz.csv", tab, err)
		if err != nil {
			return
		}
		if unwritable(tab.Columns) {
			// ReadCSV keeps a second byte order mark and turns a quoted CR CR LF into CR LF;
			// the writer refuses such names, since reading its output would change them.
			_, err := NewCSVWriter(&bytes.Buffer{}, tab.Columns)
			require.Error(t, err)
			return
		}
		out := roundTripCSV(t, tab)
		// The writer's output is a fixed point: reading and writing it again gives the same bytes.
		again, err := ReadCSV(bytes.NewReader(out), "again.csv")
		require.NoError(t, err)
		require.Equal(t, string(out), string(roundTripCSV(t, again)))
	})
}

func FuzzReadNPY(f *testing.F) {
	six := []float64{1, -2.5, 0.1, 4e-3, 5, -6e30}
	for _, b := range [][]byte{
		npyFile(1, npyDict("<f8", false, "(2, 3)"), npyPayload("<f8", six...)),
		npyFile(1, npyDict(">f8", false, "(3, 2)"), npyPayload(">f8", six...)),
		npyFile(1, npyDict("<f4", true, "(2, 3)"), npyPayload("<f4", six...)),
		npyFile(2, npyDict(">f4", true, "(6, 1)"), npyPayload(">f4", six...)),
		npyFile(3, npyDict("<f8", false, "(1, 6)"), npyPayload("<f8", six...)),
		npyFile(1, `{"shape": (2L, 3L,), "fortran_order": False, "descr": "<f8"}`, npyPayload("<f8", six...)),
		npyFile(1, npyDict("<f8", false, "(2, 3)"), npyPayload("<f8", 1, 2, 3, 4, 5, math.NaN())),
		npyFile(1, npyDict("<f4", true, "(2, 3)"), npyPayload("<f4", 1, math.Inf(1), 3, 4, 5, 6)),
		npyFile(1, npyDict("<f8", false, "(2, 3)"), npyPayload("<f8", six[:5]...)),
		npyFile(1, npyDict("<f8", false, "(2, 2)"), npyPayload("<f8", six...)),
		npyFile(1, npyDict("<f8", false, "(6,)"), npyPayload("<f8", six...)),
		npyFile(1, npyDict("<f8", false, "()"), npyPayload("<f8", 1)),
		npyFile(1, npyDict("<f8", false, "(0, 3)"), nil),
		npyFile(1, npyDict("<f8", false, "(1000000000, 1000000000)"), nil),
		npyFile(1, npyDict("<i8", false, "(1, 1)"), make([]byte, 8)),
		npyFile(1, `{'descr': [('a', '<f8'), ('b', '<i4', (2,))], 'fortran_order': False, 'shape': (1, 1), }`, make([]byte, 16)),
		npyFile(1, `{'descr': '<f8', 'shape': (1, 1)}`, make([]byte, 8)),
		npyFile(1, `{'descr': '<f8', 'fortran_order': 0, 'shape': (1, 1)}`, make([]byte, 8)),
		npyFile(1, `{'descr': '<f8', 'fortran_order': False, 'shape': (-1, 3), }`, nil),
		npyFile(1, `{'descr': '<f8}`, nil),
		npyFile(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1)} \xff", make([]byte, 8)),
		[]byte("\x93NUMPY\x04\x00\x00\x00"),
		[]byte("\x93NUMPY\x02\x00\x00\x00\x00\x10"),
		[]byte("\x93NUM"),
		[]byte("a,b\n1,2\n"),
		nil,
	} {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		tab, err := ReadNPY(bytes.NewReader(in), "fuzz.npy")
		checkReadResult(t, "fuzz.npy", tab, err)
		if err != nil {
			return
		}
		for j, c := range tab.Columns {
			require.Equal(t, npyColumn(j), c)
		}
		roundTripCSV(t, tab)
	})
}
