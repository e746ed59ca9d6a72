package dataset

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

func TestCSVWriterHeaderRoundTrip(t *testing.T) {
	cases := []struct {
		name string
		cols []string
		want string // the header line(s) written
	}{
		{"plain", []string{"a", "b", "c"}, "a,b,c\n"},
		{"comma", []string{"x,y", "b", "c"}, "\"x,y\",b,c\n"},
		{"quote", []string{`say "hi"`, "b"}, "\"say \"\"hi\"\"\",b\n"},
		{"newline", []string{"a\nb", "c"}, "\"a\nb\",c\n"},
		{"inner space", []string{"log prob", "é"}, "log prob,é\n"},
		{"BOM not first", []string{"a", "\ufeffb"}, "a,\ufeffb\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			cw, err := NewCSVWriter(&buf, c.cols)
			require.NoError(t, err)
			row := make([]float64, len(c.cols))
			require.NoError(t, cw.Write(mat.NewDense(1, len(c.cols), row)))
			require.NoError(t, cw.Flush())
			require.True(t, strings.HasPrefix(buf.String(), c.want), "%q", buf.String())

			tab, err := ReadCSV(&buf, "out.csv")
			require.NoError(t, err)
			require.Equal(t, c.cols, tab.Columns)
		})
	}
}

func TestCSVWriterNameErrors(t *testing.T) {
	cases := []struct {
		name string
		cols []string
		want string
	}{
		{"none", nil, "no column names"},
		{"empty", []string{"a", ""}, `column 2 (""): empty column name`},
		{"duplicate", []string{"a", "b", "a"}, `column 3 ("a"): duplicate column name (also column 1)`},
		{"leading space", []string{" a"}, `column 1 (" a"): surrounding whitespace would be lost on reading`},
		{"trailing tab", []string{"a", "b\t"}, `column 2 ("b\t"): surrounding whitespace would be lost on reading`},
		{"CRLF", []string{"a", "b\r\nc"}, `column 2 ("b\r\nc"): a CR LF line break would be read back as LF`},
		{"BOM first", []string{"\ufeffa", "b"}, `column 1 ("\ufeffa"): a leading byte order mark would be lost on reading`},
		{"long name", []string{"a", " " + strings.Repeat("n", 1<<20)},
			`column 2 (" ` + strings.Repeat("n", 39) + `"… (1048577 bytes)): surrounding whitespace would be lost on reading`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			cw, err := NewCSVWriter(&buf, c.cols)
			require.EqualError(t, err, c.want)
			require.Nil(t, cw)
			require.Zero(t, buf.Len())
		})
	}
}

func TestCSVWriterNonFinite(t *testing.T) {
	for _, c := range []struct {
		name string
		v    float64
		want string
	}{
		{"NaN", math.NaN(), `row 4, column 2 ("b"): NaN is not finite`},
		{"+Inf", math.Inf(1), `row 4, column 2 ("b"): +Inf is not finite`},
		{"-Inf", math.Inf(-1), `row 4, column 2 ("b"): -Inf is not finite`},
	} {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			cw, err := NewCSVWriter(&buf, []string{"a", "b"})
			require.NoError(t, err)
			require.NoError(t, cw.Write(mustDense(2, 2, 1, 2, 3, 4)))
			// Rows 3, 4 and 5; row 4 is bad, so row 3 must not be written either.
			err = cw.Write(mustDense(3, 2, 5, 6, 7, c.v, 9, 10))
			require.EqualError(t, err, c.want)
			require.Equal(t, 2, cw.Rows())
			require.NoError(t, cw.Flush())
			require.Equal(t, "a,b\n1,2\n3,4\n", buf.String())

			// The writer goes on after the refusal.
			require.NoError(t, cw.Write(mustDense(1, 2, 5, 6)))
			require.NoError(t, cw.Flush())
			require.Equal(t, 3, cw.Rows())
			require.Equal(t, "a,b\n1,2\n3,4\n5,6\n", buf.String())
		})
	}
}

func TestCSVWriterWriteErrors(t *testing.T) {
	cases := []struct {
		name string
		x    *mat.Dense
		want string
	}{
		{"too narrow", mustDense(2, 1, 1, 2), "matrix has 1 columns, the header 2"},
		{"too wide", mustDense(1, 3, 1, 2, 3), "matrix has 3 columns, the header 2"},
		{"nil", nil, "empty matrix"},
		{"empty", &mat.Dense{}, "empty matrix"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			cw, err := NewCSVWriter(&buf, []string{"a", "b"})
			require.NoError(t, err)
			require.EqualError(t, cw.Write(c.x), c.want)
			require.Zero(t, cw.Rows())
			require.NoError(t, cw.Flush())
			require.Equal(t, "a,b\n", buf.String())
		})
	}
}

// TestCSVWriterStreaming checks that rows written in several calls, including row views of a
// larger matrix, give the same bytes as one call, and that ReadCSV reads back the same bits.
func TestCSVWriterStreaming(t *testing.T) {
	vals := []float64{
		0.1, 1.0 / 3, math.Copysign(0, -1), 5e-324, math.MaxFloat64, -math.MaxFloat64,
		-2.5e-300, 123456789.123456789, 1, 0, -7, math.SmallestNonzeroFloat64 * 3,
		1e21, 1e-7, 2.2250738585072014e-308, float64(float32(0.1)), 100, -1e100,
	}
	x := mat.NewDense(6, 3, vals)
	cols := []string{"a", "b,c", `"d"`}

	var one bytes.Buffer
	cw, err := NewCSVWriter(&one, cols)
	require.NoError(t, err)
	require.NoError(t, cw.Write(x))
	require.NoError(t, cw.Flush())
	require.Equal(t, 6, cw.Rows())

	for _, split := range [][]int{{1, 1, 1, 1, 1, 1}, {2, 4}, {5, 1}, {3, 3}} {
		var many bytes.Buffer
		cw, err := NewCSVWriter(&many, cols)
		require.NoError(t, err)
		i := 0
		for _, k := range split {
			require.NoError(t, cw.Write(x.Slice(i, i+k, 0, 3).(*mat.Dense)))
			i += k
			require.Equal(t, i, cw.Rows())
		}
		require.NoError(t, cw.Flush())
		require.Equal(t, one.String(), many.String(), "split %v", split)
	}

	tab, err := ReadCSV(&one, "out.csv")
	require.NoError(t, err)
	require.Equal(t, cols, tab.Columns)
	got := tab.X.RawMatrix().Data
	require.Len(t, got, len(vals))
	for i := range vals {
		require.Equal(t, math.Float64bits(vals[i]), math.Float64bits(got[i]), "value %d: %v vs %v", i, vals[i], got[i])
	}
}

// failWriter fails every write.
type failWriter struct{ err error }

func (f failWriter) Write([]byte) (int, error) { return 0, f.err }

func TestCSVWriterFlushError(t *testing.T) {
	boom := errors.New("boom")
	cw, err := NewCSVWriter(failWriter{boom}, []string{"a"})
	require.NoError(t, err) // buffered
	require.NoError(t, cw.Write(mustDense(1, 1, 1)))
	require.ErrorIs(t, cw.Flush(), boom)
}
