package dataset

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestQuoteCapped(t *testing.T) {
	x40 := strings.Repeat("x", 40)
	cases := []struct{ name, in, want string }{
		{"empty", "", `""`},
		{"short", `a "b"`, `"a \"b\""`},
		{"40 bytes", x40, `"` + x40 + `"`},
		{"41 bytes", x40 + "y", `"` + x40 + `"… (41 bytes)`},
		{"10 MB", strings.Repeat("x", 10<<20), `"` + x40 + `"… (10485760 bytes)`},
		// 13 three-byte runes fill 39 bytes; the 14th would split, so it is left out whole.
		{"rune boundary", strings.Repeat("€", 20), `"` + strings.Repeat("€", 13) + `"… (60 bytes)`},
		// Escapes count: ten zero bytes take 40 quoted bytes (\x00 each).
		{"escapes", strings.Repeat("\x00", 11), `"` + strings.Repeat(`\x00`, 10) + `"… (11 bytes)`},
		{"invalid UTF-8", strings.Repeat("\xff", 11), `"` + strings.Repeat(`\xff`, 10) + `"… (11 bytes)`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.want, QuoteCapped(c.in))
		})
	}
}

func TestClip(t *testing.T) {
	cases := []struct {
		name, in string
		n        int
		want     string
	}{
		{"fits", "abc", 3, `"abc"`},
		{"cut", "abcd", 3, `"abc"…`},
		{"rune boundary", "€€€", 5, `"€"…`},
		{"escapes", strings.Repeat("\x00", 3), 8, `"\x00\x00"…`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.want, clip(c.in, c.n))
		})
	}
}

func TestQuoteList(t *testing.T) {
	many := make([]string, 100000)
	for i := range many {
		many[i] = fmt.Sprint("c", i)
	}
	cases := []struct {
		name string
		in   []string
		want string
	}{
		{"few", []string{"a", "b"}, `"a", "b"`},
		{"ten", many[:10], `"c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9"`},
		{"eleven", many[:11], `"c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9", … and 1 more`},
		{"100,000", many, `"c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9", … and 99990 more`},
		{"long name", []string{"a", strings.Repeat("b", 10<<20)}, `"a", "` + strings.Repeat("b", 40) + `"… (10485760 bytes)`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.want, QuoteList(c.in))
		})
	}
}

// TestErrorsCapEchoedText checks that no error echoes a huge field, name or header of a file whole
// and that each still gives the position.
func TestErrorsCapEchoedText(t *testing.T) {
	big := strings.Repeat("x", 10<<20)
	capped := `"` + strings.Repeat("x", 40) + `"… (10485760 bytes)`
	field := strings.Repeat("x", 500_000) // two of them fit in a line (MaxLineBytes)
	cappedField := `"` + strings.Repeat("x", 40) + `"… (500000 bytes)`
	hugeDescr := "[" + strings.Repeat("('a', '<f8'), ", 60000) + "]"
	manyDims := "(" + strings.Repeat("1, ", 100000) + ")"
	cases := []struct {
		name string
		read func() error
		want string
	}{
		{"CSV field", csvErr10MB("a,b\n1," + field + "\n"),
			`data.csv: line 2 (row 1), column 2 ("b"): ` + cappedField + ` is not a number`},
		{"CSV quoted field", csvErr10MB("a,b\n1,\"" + field + "\"\n"),
			`data.csv: line 2 (row 1), column 2 ("b"): ` + cappedField + ` is not a number`},
		{"CSV column name", csvErr10MB("a," + field + "\n1,z\n"),
			`data.csv: line 2 (row 1), column 2 (` + cappedField + `): "z" is not a number`},
		{"CSV duplicate name", csvErr10MB(field + "," + field + "\n1,2\n"),
			`data.csv: line 1, column 2 (` + cappedField + `): duplicate column name (also column 1)`},
		{"CSV extra field", csvErr10MB("a,b\n1,2," + field + "\n"),
			`data.csv: line 2 (row 1), column 3: extra field ` + cappedField + `: the row has 3 fields, the header 2`},
		{"CSV 10 MB field", csvErr10MB("a,b\n1," + big + "\n"),
			`data.csv: line 2 (row 1): longer than 1048576 bytes (dataset.MaxLineBytes)`},
		{"npy structured dtype", npyErr(npyFile(2, `{'descr': `+hugeDescr+`, 'fortran_order': False, 'shape': (1, 1), }`, make([]byte, 8))),
			`x.npy: unsupported dtype "[('a', '<f8'), ('a', '<f8'), ('a', '<f8'"… (840002 bytes) ` +
				`(supported: float32 or float64, '<f4', '>f4', '<f8', '>f8')`},
		{"npy unknown key", npyErr(npyFile(2, `{'`+strings.Repeat("k", 900000)+`': 1}`, nil)),
			`x.npy: malformed .npy header "{'` + strings.Repeat("k", 118) + `"…: unknown key "` + strings.Repeat("k", 40) + `"… (900000 bytes)`},
		{"npy many dimensions", npyErr(npyFile(2, npyDict("<f8", false, manyDims), nil)),
			"x.npy: array has shape (1, 1, 1, 1, 1, 1, 1, 1, …) (100000-D); want a 2-D array (rows, columns)"},
		{"select unknown", func() error {
			_, err := (&Table{Columns: []string{"a", big}, X: mustDense(1, 2, 1, 2)}).Select([]string{big + "y"})
			return err
		}, `dataset: select: unknown column "` + strings.Repeat("x", 40) + `"… (10485761 bytes) (have "a", ` + capped + `)`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.read()
			require.Error(t, err)
			msg := err.Error()
			// At most ~200 bytes; a malformed .npy header adds an excerpt of up to 120.
			assert.Less(t, len(msg), 256, "message of %d bytes", len(msg))
			require.Equal(t, c.want, msg)
		})
	}
}

// csvErr10MB returns a function reading in as data.csv and returning the error.
func csvErr10MB(in string) func() error {
	return func() error {
		_, err := ReadCSV(strings.NewReader(in), "data.csv")
		return err
	}
}

// npyErr returns a function reading b as x.npy and returning the error.
func npyErr(b []byte) func() error {
	return func() error {
		_, err := ReadNPY(bytes.NewReader(b), "x.npy")
		return err
	}
}
