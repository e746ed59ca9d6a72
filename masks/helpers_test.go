package masks

import (
	"testing"

	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// dense builds a matrix from literal rows.
func dense(rows ...[]float64) *mat.Dense {
	m := mat.NewDense(len(rows), len(rows[0]), nil)
	for i, r := range rows {
		m.SetRow(i, r)
	}
	return m
}

// requireEqual compares matrices exactly and prints both on failure.
func requireEqual(t *testing.T, want, got mat.Matrix) {
	t.Helper()
	require.Truef(t, mat.Equal(want, got), "want\n%v\ngot\n%v",
		mat.Formatted(want, mat.Squeeze()), mat.Formatted(got, mat.Squeeze()))
}
