package masks

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

func TestSoft(t *testing.T) {
	values := dense(
		[]float64{0.7, 0.2, 5},
		[]float64{1.5, -0.3, 0.9},
		[]float64{0.4, math.Inf(1), math.NaN()},
	)
	support := Dependency(Natural(3)) // strictly lower triangular
	got, err := Soft(values, support)
	require.NoError(t, err)
	requireEqual(t, dense(
		[]float64{0, 0, 0},
		[]float64{1, 0, 0},
		[]float64{0.4, 1, 0},
	), got)
	require.NoError(t, CheckDependency(got, Natural(3)))

	_, err = Soft(values, mat.NewDense(2, 3, nil))
	assert.EqualError(t, err, "masks: values are 3×3 but support is 2×3")
	values.Set(2, 0, math.NaN())
	_, err = Soft(values, support)
	assert.EqualError(t, err, "masks: value (2, 0) is NaN")
}

func TestHarden(t *testing.T) {
	m := dense(
		[]float64{0, 0, 0},
		[]float64{0.5, 0, 0},
		[]float64{0.2, 0.9, 0},
	)
	requireEqual(t, dense(
		[]float64{0, 0, 0},
		[]float64{1, 0, 0},
		[]float64{0, 1, 0},
	), Harden(m, 0.5))
	requireEqual(t, dense(
		[]float64{0, 0, 0},
		[]float64{1, 0, 0},
		[]float64{1, 1, 0},
	), Harden(m, 0.1))
}

func TestTopK(t *testing.T) {
	m := dense(
		[]float64{0, 0, 0, 0},
		[]float64{0.3, 0, 0, 0},
		[]float64{0.2, 0.9, 0, 0},
		[]float64{0.5, 0.1, 0.5, 0},
	)
	for _, tc := range []struct {
		k    int
		want *mat.Dense
	}{
		{0, mat.NewDense(4, 4, nil)},
		{1, dense(
			[]float64{0, 0, 0, 0},
			[]float64{1, 0, 0, 0},
			[]float64{0, 1, 0, 0},
			[]float64{1, 0, 0, 0}, // tie 0.5/0.5 → lower column
		)},
		{2, dense(
			[]float64{0, 0, 0, 0},
			[]float64{1, 0, 0, 0},
			[]float64{1, 1, 0, 0},
			[]float64{1, 0, 1, 0},
		)},
		{5, dense(
			[]float64{0, 0, 0, 0},
			[]float64{1, 0, 0, 0},
			[]float64{1, 1, 0, 0},
			[]float64{1, 1, 1, 0},
		)},
	} {
		got := TopK(m, tc.k)
		requireEqual(t, tc.want, got)
		require.NoError(t, CheckDependency(got, Natural(4)))
	}
}

func TestCheckDependency(t *testing.T) {
	blocks, err := Blocks([]int{2, 1})
	require.NoError(t, err)
	for _, tc := range []struct {
		name string
		m    *mat.Dense
		in   Degrees
		err  string
	}{
		{"hard natural", Dependency(Natural(3)), Natural(3), ""},
		{"soft reversed", dense(
			[]float64{0, 0.3, 1},
			[]float64{0, 0, 0.5},
			[]float64{0, 0, 0},
		), Reversed(3), ""},
		{"zero", mat.NewDense(3, 3, nil), Natural(3), ""},
		{"blocks", dense(
			[]float64{0, 0, 0},
			[]float64{0, 0, 0},
			[]float64{0.1, 1, 0},
		), blocks, ""},
		{"within block", dense(
			[]float64{0, 0.2, 0},
			[]float64{0, 0, 0},
			[]float64{1, 1, 0},
		), blocks, "masks: entry (row 0, column 1) = 0.2 but output 0 (degree 1) may not depend on input 1 (degree 1)"},
		{"natural upper", dense(
			[]float64{0, 0, 0},
			[]float64{1, 0, 1},
			[]float64{1, 1, 0},
		), Natural(3), "masks: entry (row 1, column 2) = 1 but output 1 (degree 2) may not depend on input 2 (degree 3)"},
		{"reversed given natural", Dependency(Natural(2)), Reversed(2),
			"masks: entry (row 1, column 0) = 1 but output 1 (degree 1) may not depend on input 0 (degree 2)"},
		{"range", dense(
			[]float64{0, 0},
			[]float64{1.5, 0},
		), Natural(2), "masks: entry (row 1, column 0) = 1.5 is not in [0, 1]"},
		{"negative", dense(
			[]float64{0, 0},
			[]float64{-0.1, 0},
		), Natural(2), "masks: entry (row 1, column 0) = -0.1 is not in [0, 1]"},
		{"nan", dense(
			[]float64{0, math.NaN()},
			[]float64{0, 0},
		), Natural(2), "masks: entry (row 0, column 1) = NaN is not in [0, 1]"},
		{"inf", dense(
			[]float64{0, 0},
			[]float64{math.Inf(1), 0},
		), Natural(2), "masks: entry (row 1, column 0) = +Inf is not in [0, 1]"},
		{"shape", mat.NewDense(2, 3, nil), Natural(2), "masks: dependency matrix is 2×3, want 2×2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckDependency(tc.m, tc.in)
			if tc.err == "" {
				assert.NoError(t, err)
			} else {
				assert.EqualError(t, err, tc.err)
			}
		})
	}
}
