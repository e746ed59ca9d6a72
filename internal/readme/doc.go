// Package readme holds the Go code README.md shows: every ```go block of the README is preceded by
// a line <!-- snippet: PATH --> and must appear, line for line, in that file (TestSnippets), and
// the files are compiled and run by go test (the examples in this package's tests, and the
// files elsewhere that the README quotes).
package readme
