package dataset

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxQuoted bounds the text between the quotes of QuoteCapped's result, escapes included.
const maxQuoted = 40

// maxListed bounds the number of names QuoteList shows.
const maxListed = 10

// QuoteCapped quotes s as %q does when its quoted form has at most maxQuoted (40) bytes between the
// quotes. Otherwise it quotes the longest prefix of whole runes that fits and appends "…" and the
// full length, e.g. "xxxx"… (10485760 bytes), so that an error never echoes a huge field, name or
// header of a file whole.
func QuoteCapped(s string) string {
	p, cut := quotedPrefix(s, maxQuoted)
	if cut {
		return p + fmt.Sprintf("… (%d bytes)", len(s))
	}
	return p
}

// clip quotes s as %q does, shortened to the longest prefix of whole runes whose quoted form has
// at most n bytes between the quotes and then followed by "…".
func clip(s string, n int) string {
	p, cut := quotedPrefix(s, n)
	if cut {
		return p + "…"
	}
	return p
}

// quotedPrefix quotes the longest prefix of whole runes of s whose quoted form has at most n bytes
// between the quotes (escapes count) and reports whether that prefix is shorter than s.
func quotedPrefix(s string, n int) (quoted string, cut bool) {
	width := 0 // quoted bytes of s[:i], without the quotes
	for i := 0; i < len(s); {
		_, size := utf8.DecodeRuneInString(s[i:])
		w := len(strconv.Quote(s[i:i+size])) - 2 // an invalid byte is quoted as \xff
		if width+w > n {
			return strconv.Quote(s[:i]), true
		}
		width += w
		i += size
	}
	return strconv.Quote(s), false
}

// QuoteList quotes the names with QuoteCapped, separated by commas: at most maxListed (10) of
// them, then "… and N more". Messages that list a file's column names use it.
func QuoteList(s []string) string {
	n := min(len(s), maxListed)
	q := make([]string, n, n+1)
	for i, v := range s[:n] {
		q[i] = QuoteCapped(v)
	}
	if len(s) > n {
		q = append(q, fmt.Sprintf("… and %d more", len(s)-n))
	}
	return strings.Join(q, ", ")
}
