package dataset

import (
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

func TestReadCSV(t *testing.T) {
	want := []float64{1, 2.5, -3e-2, 4, 0.25, 6}
	cases := []struct{ name, in string }{
		{"plain", "a,b\n1,2.5\n-3e-2,4\n0.25,6\n"},
		{"no final newline", "a,b\n1,2.5\n-3e-2,4\n0.25,6"},
		{"CRLF", "a,b\r\n1,2.5\r\n-3e-2,4\r\n0.25,6\r\n"},
		{"BOM", "\ufeffa,b\n1,2.5\n-3e-2,4\n0.25,6\n"},
		{"BOM and CRLF", "\ufeffa,b\r\n1,2.5\r\n-3e-2,4\r\n0.25,6\r\n"},
		{"whitespace", " a ,\tb\n 1 ,2.5\t\n-3e-2 , 4\n0.25,  6  \n"},
		{"quoted", "\"a\",\"b\"\n\"1\",\" 2.5 \"\n-3e-2,4\n0.25,6\n"},
		{"blank lines", "a,b\n\n1,2.5\n-3e-2,4\n\n0.25,6\n\n"},
		{"other spellings", "a,b\n+1,2.50\n-.03,4.\n0x1p-2,6e0\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tab, err := ReadCSV(strings.NewReader(c.in), "data.csv")
			require.NoError(t, err)
			require.Equal(t, []string{"a", "b"}, tab.Columns)
			r, k := tab.X.Dims()
			require.Equal(t, [2]int{3, 2}, [2]int{r, k})
			require.Equal(t, want, tab.X.RawMatrix().Data)
		})
	}
}

func TestReadCSVErrors(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"text", "a,b,Voltage\n1,2,3\n4,5,6\n7,8,9\n1,2,abc\n",
			`data.csv: line 5 (row 4), column 3 ("Voltage"): "abc" is not a number`},
		{"NaN", "a,b,Voltage\n1,2,3\n4,5,NaN\n",
			`data.csv: line 3 (row 2), column 3 ("Voltage"): "NaN" is not finite`},
		{"Inf", "a,b\n1,Inf\n", `data.csv: line 2 (row 1), column 2 ("b"): "Inf" is not finite`},
		{"-Inf", "a,b\n1,2\n -inf ,3\n", `data.csv: line 3 (row 2), column 1 ("a"): "-inf" is not finite`},
		{"+Infinity", "a,b\n1,+Infinity\n", `data.csv: line 2 (row 1), column 2 ("b"): "+Infinity" is not finite`},
		{"out of range", "a,b\n1,2\n3,-1e999\n", `data.csv: line 3 (row 2), column 2 ("b"): "-1e999" is out of float64 range`},
		{"empty field", "a,b,c\n1,,3\n", `data.csv: line 2 (row 1), column 2 ("b"): empty field`},
		{"blank field", "a,b,c\n1,2, \t\n", `data.csv: line 2 (row 1), column 3 ("c"): empty field`},
		{"too few fields", "a,b,c\n1,2,3\n4,5\n",
			`data.csv: line 3 (row 2), column 3 ("c"): missing field: the row has 2 fields, the header 3`},
		{"one field", "a,b,c\n1,2,3\n\n4\n",
			`data.csv: line 4 (row 2), column 2 ("b"): missing field: the row has 1 fields, the header 3`},
		{"too many fields", "a,b\n1,2,3\n",
			`data.csv: line 2 (row 1), column 3: extra field "3": the row has 3 fields, the header 2`},
		{"trailing comma", "a,b\n1,2\n3,4,\n",
			`data.csv: line 3 (row 2), column 3: extra field "": the row has 3 fields, the header 2`},
		{"CRLF", "a,b\r\n1,2\r\n3,abc\r\n", `data.csv: line 3 (row 2), column 2 ("b"): "abc" is not a number`},
		{"BOM", "\ufeffa,b\n1,x\n", `data.csv: line 2 (row 1), column 2 ("b"): "x" is not a number`},
		{"quoted newline shifts lines", "a,\"b\nB\"\n1,2\n3,x\n",
			`data.csv: line 4 (row 2), column 2 ("b\nB"): "x" is not a number`},
		{"empty file", "", `data.csv: empty file (a header row is required)`},
		{"BOM only", "\ufeff", `data.csv: empty file (a header row is required)`},
		{"blank lines only", "\n\r\n\n", `data.csv: empty file (a header row is required)`},
		{"header only", "a,b\n", `data.csv: no data rows (header only)`},
		{"header and blank lines", "a,b\r\n\r\n\r\n", `data.csv: no data rows (header only)`},
		{"duplicate column", "a,b,a\n1,2,3\n", `data.csv: line 1, column 3 ("a"): duplicate column name (also column 1)`},
		{"duplicate after trim", "a, b ,b\n1,2,3\n", `data.csv: line 1, column 3 ("b"): duplicate column name (also column 2)`},
		{"empty column name", "a,,c\n1,2,3\n", `data.csv: line 1, column 2: empty column name`},
		{"blank column name", "a,b,  \n1,2,3\n", `data.csv: line 1, column 3: empty column name`},
		{"bare quote", "a,b\n1,2\n3,4\"x\n",
			`data.csv: line 3 (row 2): bare " in non-quoted-field (character 4 of the line)`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadCSV(strings.NewReader(c.in), "data.csv")
			require.EqualError(t, err, c.want)
			var pe *ParseError
			require.ErrorAs(t, err, &pe)
			require.Equal(t, "data.csv", pe.File)
		})
	}
}

func TestReadCSVReadError(t *testing.T) {
	boom := errors.New("boom")
	_, err := ReadCSV(iotest.ErrReader(boom), "data.csv")
	require.EqualError(t, err, "data.csv: read: boom")
	require.ErrorIs(t, err, boom)
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()

	missing := filepath.Join(dir, "missing.csv")
	_, err := Load(missing)
	require.ErrorIs(t, err, fs.ErrNotExist)
	require.ErrorContains(t, err, missing)

	_, err = Load(filepath.Join(dir, "missing.npy"))
	require.ErrorIs(t, err, fs.ErrNotExist)

	for _, name := range []string{"data.txt", "data", "data.csv.gz"} {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte("a\n1\n"), 0o644))
		_, err = Load(p)
		require.ErrorContains(t, err, p)
		require.ErrorContains(t, err, "(supported: .csv, .npy)")
	}

	// Content errors name the path as given.
	p := filepath.Join(dir, "bad.csv")
	require.NoError(t, os.WriteFile(p, []byte("a,b\n1,2\n3,NaN\n"), 0o644))
	_, err = Load(p)
	require.EqualError(t, err, p+`: line 3 (row 2), column 2 ("b"): "NaN" is not finite`)

	// The extension is matched case-insensitively.
	p = filepath.Join(dir, "upper.CSV")
	require.NoError(t, os.WriteFile(p, []byte("a\n1\n"), 0o644))
	tab, err := Load(p)
	require.NoError(t, err)
	require.Equal(t, []string{"a"}, tab.Columns)
}

func TestWriteCSVRoundTrip(t *testing.T) {
	vals := []float64{
		0.1, 1.0 / 3, -0.0, 5e-324, 1.7976931348623157e308,
		-2.5e-300, 123456789.123456789, 1, 0, -7,
	}
	x := mat.NewDense(5, 2, vals)
	cols := []string{"Global_active_power", "a, quoted \"name\""}
	p := filepath.Join(t.TempDir(), "out.csv")
	require.NoError(t, WriteCSV(p, cols, x))

	tab, err := Load(p)
	require.NoError(t, err)
	require.Equal(t, cols, tab.Columns)
	got := tab.X.RawMatrix().Data
	require.Len(t, got, len(vals))
	for i := range vals {
		require.Equal(t, math.Float64bits(vals[i]), math.Float64bits(got[i]), "value %d: %v vs %v", i, vals[i], got[i])
	}
}

func TestWriteCSVErrors(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.csv")
	x := mat.NewDense(2, 2, []float64{1, 2, 3, 4})
	nan := mat.NewDense(2, 2, []float64{1, 2, 3, math.NaN()})
	cases := []struct {
		name string
		cols []string
		x    *mat.Dense
		want string
	}{
		{"nil matrix", []string{"a", "b"}, nil, "dataset: write " + p + ": empty matrix"},
		{"empty matrix", nil, &mat.Dense{}, "dataset: write " + p + ": empty matrix"},
		{"width", []string{"a"}, x, "dataset: write " + p + ": 1 column names for a matrix with 2 columns"},
		{"duplicate", []string{"a", "a"}, x, "dataset: write " + p + `: column 2 ("a"): duplicate column name (also column 1)`},
		{"empty name", []string{"a", ""}, x, "dataset: write " + p + `: column 2 (""): empty column name`},
		{"whitespace", []string{"a", " b"}, x, "dataset: write " + p + `: column 2 (" b"): surrounding whitespace would be lost on reading`},
		{"NaN", []string{"a", "b"}, nan, "dataset: write " + p + `: row 2, column 2 ("b"): NaN is not finite`},
		{"CRLF", []string{"a", "b\r\nc"}, x, "dataset: write " + p + `: column 2 ("b\r\nc"): a CR LF line break would be read back as LF`},
		{"BOM", []string{"\ufeffa", "b"}, x, "dataset: write " + p + `: column 1 ("\ufeffa"): a leading byte order mark would be lost on reading`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.EqualError(t, WriteCSV(p, c.cols, c.x), c.want)
			entries, err := os.ReadDir(dir)
			require.NoError(t, err)
			require.Empty(t, entries)
		})
	}
}
