package dataset

import (
	"bytes"
	"fmt"
	"io"
)

// MaxLineBytes bounds a physical line of a CSV file: 1 MiB, some 50,000 columns of 20 characters.
// A longer line is refused with its line number. encoding/csv spends about 140 bytes per field of
// a line, so the worst line within the limit (a million empty fields) costs about 150 MB of
// short-lived allocation; without the limit a line of commas cost memory without bound.
const MaxLineBytes = 1 << 20

// MaxColumns bounds the columns of a CSV file's header: 65,536, the widest model a model file may
// describe (modelfile.MaxDim).
const MaxColumns = 1 << 16

// errLineTooLong is what lineLimiter returns for a line longer than MaxLineBytes.
type errLineTooLong struct{ line int }

func (e *errLineTooLong) Error() string {
	return fmt.Sprintf("line %d is longer than %d bytes (dataset.MaxLineBytes)", e.line, MaxLineBytes)
}

// lineLimiter passes r through, failing once a physical line exceeds MaxLineBytes.
type lineLimiter struct {
	r    io.Reader
	n    int // bytes of the current line so far
	line int // 1-based number of the current line
	err  error
}

func newLineLimiter(r io.Reader) *lineLimiter { return &lineLimiter{r: r, line: 1} }

func (l *lineLimiter) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	k, err := l.r.Read(p)
	b := p[:k]
	for off := 0; off < k; {
		i := bytes.IndexByte(b[off:], '\n')
		if i < 0 {
			i = k - off
		}
		if l.n+i > MaxLineBytes {
			l.err = &errLineTooLong{l.line}
			return off, l.err // what precedes the limit
		}
		if off+i < k { // a newline ends the line
			l.n, l.line = 0, l.line+1
			off += i + 1
		} else {
			l.n += i
			off = k
		}
	}
	return k, err
}
