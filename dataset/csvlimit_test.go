package dataset

import (
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestCSVLineLimit: a line longer than MaxLineBytes is refused with its line number, and
// encoding/csv, which spends ~140 bytes per field, sees at most that much of it (a 4 MB line of
// commas allocated about 900 MB; now about 150 MB, the cost of the first MiB);
// lines up to the limit read as before, also across reads of any size.
func TestCSVLineLimit(t *testing.T) {
	long := "a,b\n1,2\n" + strings.Repeat(",", 4<<20) + "\n"
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := ReadCSV(strings.NewReader(long), "wide.csv")
	runtime.ReadMemStats(&after)
	require.EqualError(t, err, "wide.csv: line 3 (row 2): longer than 1048576 bytes (dataset.MaxLineBytes)")
	require.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(256<<20), "allocated while refusing")

	header := strings.Repeat("c,", MaxColumns) + "c\n"
	_, err = ReadCSV(strings.NewReader(header+"1\n"), "cols.csv")
	require.EqualError(t, err, "cols.csv: line 1: 65537 columns, more than 65536 (dataset.MaxColumns)")

	// a line of exactly MaxLineBytes bytes (before its newline) is fine
	field := strings.Repeat("0", MaxLineBytes-1) + "1"
	tab, err := ReadCSV(strings.NewReader("a\n"+strings.Repeat("0", MaxLineBytes)+"\n"+field+"\n"), "ok.csv")
	require.NoError(t, err)
	r, _ := tab.X.Dims()
	require.Equal(t, 2, r)

	// the limiter counts lines across reads split anywhere
	var sb strings.Builder
	for i := range 5000 {
		sb.WriteString(strings.Repeat("x", i%300))
		sb.WriteByte('\n')
	}
	l := newLineLimiter(iotestHalf{strings.NewReader(sb.String())})
	buf := make([]byte, 7)
	for {
		if _, err := l.Read(buf); err != nil {
			break
		}
	}
	require.Nil(t, l.err)
	require.Equal(t, 5001, l.line)
}

// iotestHalf reads at most 3 bytes at a time.
type iotestHalf struct{ r *strings.Reader }

func (h iotestHalf) Read(p []byte) (int, error) { return h.r.Read(p[:min(len(p), 3)]) }
