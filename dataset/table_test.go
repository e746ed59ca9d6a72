package dataset

import (
	"testing"

	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

func testTable() *Table {
	return &Table{
		Columns: []string{"a", "b", "c", "d"},
		X:       mustDense(2, 4, 1, 2, 3, 4, 5, 6, 7, 8),
	}
}

func TestSplit(t *testing.T) {
	tab := testTable()
	data, ctx, err := tab.Split([]string{"d", "b"})
	require.NoError(t, err)
	require.Equal(t, []string{"d", "b"}, data.Columns)
	require.Equal(t, []float64{4, 2, 8, 6}, data.X.RawMatrix().Data)
	require.Equal(t, []string{"a", "c"}, ctx.Columns)
	require.Equal(t, []float64{1, 3, 5, 7}, ctx.X.RawMatrix().Data)

	// Copies: changing the parts leaves the table alone.
	data.X.Set(0, 0, -1)
	ctx.X.Set(0, 0, -1)
	require.Equal(t, []float64{1, 2, 3, 4, 5, 6, 7, 8}, tab.X.RawMatrix().Data)

	// All columns: no context.
	data, ctx, err = tab.Split([]string{"a", "b", "c", "d"})
	require.NoError(t, err)
	require.Nil(t, ctx)
	require.True(t, mat.Equal(tab.X, data.X))
}

func TestSelectOnView(t *testing.T) {
	x := mustDense(2, 3, 1, 2, 3, 4, 5, 6)
	tab := &Table{Columns: []string{"p", "q"}, X: x.Slice(0, 2, 1, 3).(*mat.Dense)}
	got, err := tab.Select([]string{"q"})
	require.NoError(t, err)
	require.Equal(t, []float64{3, 6}, got.X.RawMatrix().Data)
}

func TestSplitErrors(t *testing.T) {
	cases := []struct {
		name string
		cols []string
		want string
	}{
		{"unknown", []string{"a", "Voltage"}, `dataset: select: unknown column "Voltage" (have "a", "b", "c", "d")`},
		{"twice", []string{"a", "b", "a"}, `dataset: select: column "a" given twice`},
		{"none", nil, "dataset: select: no columns given"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := testTable().Split(c.cols)
			require.EqualError(t, err, c.want)
			_, err = testTable().Select(c.cols)
			require.EqualError(t, err, c.want)
		})
	}
}
