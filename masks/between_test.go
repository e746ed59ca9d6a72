package masks

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"gonum.org/v1/gonum/mat"
)

func TestBetween(t *testing.T) {
	for _, tc := range []struct {
		name    string
		in, out Degrees
		strict  bool
		want    *mat.Dense
	}{
		{
			"input to hidden", Degrees{1, 2, 3}, Degrees{1, 2, 1, 2}, false,
			dense(
				[]float64{1, 1, 1, 1},
				[]float64{0, 1, 0, 1},
				[]float64{0, 0, 0, 0},
			),
		},
		{
			"hidden to output", Degrees{1, 2, 1, 2}, Degrees{1, 2, 3}, true,
			dense(
				[]float64{0, 1, 1},
				[]float64{0, 0, 1},
				[]float64{0, 1, 1},
				[]float64{0, 0, 1},
			),
		},
		{
			"reversed input to hidden", Degrees{3, 2, 1}, Degrees{1, 1, 2}, false,
			dense(
				[]float64{0, 0, 0},
				[]float64{0, 0, 1},
				[]float64{1, 1, 1},
			),
		},
		{
			"direct strict", Degrees{2, 1, 3}, Degrees{2, 1, 3}, true,
			dense(
				[]float64{0, 0, 1},
				[]float64{1, 0, 1},
				[]float64{0, 0, 0},
			),
		},
		{
			"context sees zero hidden", Degrees{1, 0}, Degrees{0, 0}, false,
			dense(
				[]float64{0, 0},
				[]float64{1, 1},
			),
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			requireEqual(t, tc.want, Between(tc.in, tc.out, tc.strict))
		})
	}
	assert.True(t, Between(Degrees{}, Degrees{1}, false).IsEmpty())
}
