package dataset

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// npyHeader is the parsed header dictionary of an .npy file.
type npyHeader struct {
	descr   string // dtype string such as "<f8"
	fortran bool   // column-major payload
	shape   []int
}

// maxNPYHeader bounds the header length a file may claim (numpy itself writes a few hundred bytes).
const maxNPYHeader = 1 << 20

// readNPYHeader reads the magic string, the format version (1.0, 2.0 or 3.0) and the header
// dictionary, leaving r at the first payload byte.
func readNPYHeader(r io.Reader, name string) (npyHeader, error) {
	var pre [8]byte
	switch _, err := io.ReadFull(r, pre[:]); {
	case errors.Is(err, io.EOF):
		return npyHeader{}, fileErr(name, "empty file")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return npyHeader{}, fileErr(name, "not a NumPy .npy file (too short)")
	case err != nil:
		return npyHeader{}, fileErr(name, "read: %w", err)
	}
	if string(pre[:6]) != "\x93NUMPY" {
		return npyHeader{}, fileErr(name, `not a NumPy .npy file (no "\x93NUMPY" magic string)`)
	}
	major, minor := pre[6], pre[7]
	var lenField []byte
	switch major {
	case 1:
		lenField = make([]byte, 2)
	case 2, 3:
		lenField = make([]byte, 4)
	default:
		return npyHeader{}, fileErr(name, "unsupported .npy format version %d.%d (supported: 1.0, 2.0, 3.0)", major, minor)
	}
	if _, err := io.ReadFull(r, lenField); err != nil {
		return npyHeader{}, truncated(name, err, "truncated .npy header")
	}
	var n uint64
	if len(lenField) == 2 {
		n = uint64(binary.LittleEndian.Uint16(lenField))
	} else {
		n = uint64(binary.LittleEndian.Uint32(lenField))
	}
	if n > maxNPYHeader {
		return npyHeader{}, fileErr(name, "implausible .npy header length %d bytes", n)
	}
	buf := make([]byte, n)
	if _, err := io.ReadFull(r, buf); err != nil {
		return npyHeader{}, truncated(name, err, fmt.Sprintf("truncated .npy header (%d bytes announced)", n))
	}
	text := strings.TrimRight(string(buf), " \n") // numpy pads with spaces and a newline
	h, err := parseNPYDict(text)
	if err != nil {
		return npyHeader{}, fileErr(name, "malformed .npy header %s: %v", clip(text, 120), err)
	}
	return h, nil
}

// truncated reports an early end of file as msg and any other read error as such.
func truncated(name string, err error, msg string) *ParseError {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fileErr(name, "%s", msg)
	}
	return fileErr(name, "read: %w", err)
}

// parseNPYDict parses the Python dict literal of an .npy header, e.g.
// {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), } followed by padding. Keys may come
// in any order, either quote style is accepted and shape entries may carry Python 2's "L" suffix;
// as in numpy, exactly the keys descr, fortran_order and shape must be present.
func parseNPYDict(s string) (npyHeader, error) {
	p := &dictParser{s: s}
	var h npyHeader
	seen := map[string]bool{}
	if err := p.expect('{'); err != nil {
		return h, err
	}
	for !p.peek('}') {
		key, err := p.str()
		if err != nil {
			return h, err
		}
		if err := p.expect(':'); err != nil {
			return h, err
		}
		switch key {
		case "descr":
			if p.peek('[') {
				h.descr, err = p.list() // structured dtype, reported as unsupported
			} else {
				h.descr, err = p.str()
			}
		case "fortran_order":
			h.fortran, err = p.boolean()
		case "shape":
			h.shape, err = p.tuple()
		default:
			return h, fmt.Errorf("unknown key %s", QuoteCapped(key))
		}
		if err != nil {
			return h, fmt.Errorf("%q: %w", key, err)
		}
		seen[key] = true
		if !p.peek('}') {
			if !p.peek(',') {
				return h, p.fail("',' or '}'")
			}
			p.i++
		}
	}
	p.i++ // '}'
	if rest := strings.TrimSpace(p.s[p.i:]); rest != "" {
		return h, fmt.Errorf("unexpected %s after the dictionary", clip(rest, 20))
	}
	for _, k := range []string{"descr", "fortran_order", "shape"} {
		if !seen[k] {
			return h, fmt.Errorf("no %q key", k)
		}
	}
	return h, nil
}

// dictParser scans the header dictionary; every method skips leading whitespace.
type dictParser struct {
	s string
	i int
}

func (p *dictParser) skip() {
	for p.i < len(p.s) && strings.IndexByte(" \t\r\n", p.s[p.i]) >= 0 {
		p.i++
	}
}

// peek reports whether the next character is c.
func (p *dictParser) peek(c byte) bool {
	p.skip()
	return p.i < len(p.s) && p.s[p.i] == c
}

func (p *dictParser) expect(c byte) error {
	if !p.peek(c) {
		return p.fail(fmt.Sprintf("%q", c))
	}
	p.i++
	return nil
}

func (p *dictParser) fail(want string) error {
	if p.i >= len(p.s) {
		return fmt.Errorf("want %s, got end of header", want)
	}
	return fmt.Errorf("want %s at byte %d, got %s", want, p.i, clip(p.s[p.i:], 20))
}

// str reads a quoted string without escapes.
func (p *dictParser) str() (string, error) {
	p.skip()
	if p.i >= len(p.s) || (p.s[p.i] != '\'' && p.s[p.i] != '"') {
		return "", p.fail("a quoted string")
	}
	q := p.s[p.i]
	end := strings.IndexByte(p.s[p.i+1:], q)
	if end < 0 {
		return "", errors.New("unterminated string")
	}
	v := p.s[p.i+1 : p.i+1+end]
	p.i += end + 2
	return v, nil
}

func (p *dictParser) boolean() (bool, error) {
	p.skip()
	for _, w := range []string{"True", "False"} {
		if strings.HasPrefix(p.s[p.i:], w) {
			p.i += len(w)
			return w == "True", nil
		}
	}
	return false, p.fail("True or False")
}

// list reads a bracketed list such as [('a', '<f8'), ('b', '<i4', (2,))] and returns its text.
func (p *dictParser) list() (string, error) {
	p.skip()
	start, depth := p.i, 0
	for ; p.i < len(p.s); p.i++ {
		switch c := p.s[p.i]; c {
		case '[', '(':
			depth++
		case ']', ')':
			depth--
			if depth == 0 {
				p.i++
				return p.s[start:p.i], nil
			}
		case '\'', '"':
			end := strings.IndexByte(p.s[p.i+1:], c)
			if end < 0 {
				return "", errors.New("unterminated string")
			}
			p.i += end + 1
		}
	}
	return "", errors.New("unterminated list")
}

// tuple reads a tuple of non-negative integers such as (), (5,) or (3, 4).
func (p *dictParser) tuple() ([]int, error) {
	if err := p.expect('('); err != nil {
		return nil, err
	}
	dims := []int{}
	for !p.peek(')') {
		j := p.i
		for j < len(p.s) && p.s[j] >= '0' && p.s[j] <= '9' {
			j++
		}
		v, err := strconv.Atoi(p.s[p.i:j])
		if err != nil {
			return nil, p.fail("a non-negative integer")
		}
		p.i = j
		if p.i < len(p.s) && p.s[p.i] == 'L' {
			p.i++
		}
		dims = append(dims, v)
		if !p.peek(')') {
			if !p.peek(',') {
				return nil, p.fail("',' or ')'")
			}
			p.i++
		}
	}
	p.i++ // ')'
	return dims, nil
}
