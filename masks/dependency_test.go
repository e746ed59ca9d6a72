package masks

import (
	"math/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

func TestDependency(t *testing.T) {
	blocks, err := Blocks([]int{2, 1})
	require.NoError(t, err)
	for _, tc := range []struct {
		name string
		in   Degrees
		want *mat.Dense
	}{
		{"natural", Natural(3), dense(
			[]float64{0, 0, 0},
			[]float64{1, 0, 0},
			[]float64{1, 1, 0},
		)},
		{"reversed", Reversed(3), dense(
			[]float64{0, 1, 1},
			[]float64{0, 0, 1},
			[]float64{0, 0, 0},
		)},
		{"permutation", Degrees{2, 3, 1}, dense(
			[]float64{0, 0, 1},
			[]float64{1, 0, 1},
			[]float64{0, 0, 0},
		)},
		{"blocks 2,1", blocks, dense(
			[]float64{0, 0, 0},
			[]float64{0, 0, 0},
			[]float64{1, 1, 0},
		)},
		{"d1", Natural(1), dense([]float64{0})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			requireEqual(t, tc.want, Dependency(tc.in))
		})
	}
	assert.True(t, Dependency(Degrees{}).IsEmpty())
}

// TestDependencyTriangular checks that permuting rows and columns by Order
// gives a strictly lower-triangular matrix with every entry below the
// diagonal set.
func TestDependencyTriangular(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	in := Random(6, rng)
	dep := Dependency(in)
	ord := in.Order()
	for a := range ord {
		for b := range ord {
			want := 0.0
			if b < a {
				want = 1
			}
			require.Equal(t, want, dep.At(ord[a], ord[b]), "a=%d b=%d", a, b)
		}
	}
}

func TestAllowed(t *testing.T) {
	requireEqual(t, dense(
		[]float64{0, 1, 0, 0, 1, 0},
		[]float64{0, 0, 0, 0, 0, 0},
		[]float64{1, 1, 0, 1, 1, 0},
	), Allowed(Degrees{2, 3, 1}, 2))
	// Context input (last row) is allowed everywhere.
	requireEqual(t, dense(
		[]float64{0, 1},
		[]float64{0, 0},
		[]float64{1, 1},
	), Allowed(Degrees{1, 2, 0}, 1))
	// Allowed is the transposed dependency for reps = 1.
	in := Degrees{3, 1, 4, 2}
	requireEqual(t, Dependency(in).T(), Allowed(in, 1))
}

func TestConnectivity(t *testing.T) {
	a := dense(
		[]float64{2, 0},
		[]float64{0, 0},
		[]float64{0.5, 1},
	)
	b := dense(
		[]float64{1, 0, 3},
		[]float64{0, 0, 1},
	)
	requireEqual(t, dense(
		[]float64{1, 0, 1},
		[]float64{0, 0, 0},
		[]float64{1, 0, 1},
	), Connectivity([]*mat.Dense{a, b}))
	requireEqual(t, dense(
		[]float64{1, 0},
		[]float64{0, 0},
		[]float64{1, 1},
	), Connectivity([]*mat.Dense{a}))
	assert.PanicsWithValue(t, "masks: mask 0 has 2 columns but mask 1 has 3 rows", func() {
		Connectivity([]*mat.Dense{a, a})
	})
	assert.PanicsWithValue(t, "masks: no masks", func() { Connectivity(nil) })
}
