package masks

import (
	"fmt"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

func TestMADELiteral(t *testing.T) {
	ms, hidden := MADE(Natural(3), []int{4}, 1, nil)
	require.Len(t, ms, 2)
	assert.Equal(t, []Degrees{{1, 1, 2, 2}}, hidden)
	requireEqual(t, dense(
		[]float64{1, 1, 1, 1},
		[]float64{0, 0, 1, 1},
		[]float64{0, 0, 0, 0},
	), ms[0])
	requireEqual(t, dense(
		[]float64{0, 1, 1},
		[]float64{0, 1, 1},
		[]float64{0, 0, 1},
		[]float64{0, 0, 1},
	), ms[1])
	requireEqual(t, dense(
		[]float64{0, 1, 1},
		[]float64{0, 0, 1},
		[]float64{0, 0, 0},
	), Connectivity(ms))
}

func TestMADEReps2Reversed(t *testing.T) {
	ms, hidden := MADE(Reversed(3), []int{2}, 2, nil)
	assert.Equal(t, []Degrees{{1, 2}}, hidden)
	requireEqual(t, dense(
		[]float64{0, 0},
		[]float64{0, 1},
		[]float64{1, 1},
	), ms[0])
	// Outputs: degrees [3 2 1 3 2 1] (shift for all dims, then scale).
	requireEqual(t, dense(
		[]float64{1, 1, 0, 1, 1, 0},
		[]float64{1, 0, 0, 1, 0, 0},
	), ms[1])
}

func TestMADENoHidden(t *testing.T) {
	ms, hidden := MADE(Degrees{2, 1}, nil, 1, nil)
	assert.Empty(t, hidden)
	require.Len(t, ms, 1)
	requireEqual(t, dense(
		[]float64{0, 0},
		[]float64{1, 0},
	), ms[0])
}

// TestCheckAllKinds builds MADE masks for every kind of order and hidden
// degrees and verifies the strict autoregressive property of the mask
// product; deterministic networks with width >= K-1 must also be maximal.
func TestCheckAllKinds(t *testing.T) {
	blocks, err := Blocks([]int{2, 1, 3})
	require.NoError(t, err)
	blocksOf, err := BlocksOf([]int{1, 2}, []int{2, 0, 1})
	require.NoError(t, err)
	one, err := Blocks([]int{3})
	require.NoError(t, err)
	orders := []struct {
		name string
		in   Degrees
	}{
		{"natural", Natural(5)},
		{"reversed", Reversed(5)},
		{"random", Random(5, rand.New(rand.NewSource(11)))},
		{"blocks", blocks},
		{"blocks-of", blocksOf},
		{"one-block k1", one},
		{"d1", Natural(1)},
		{"d2", Reversed(2)},
	}
	rng := rand.New(rand.NewSource(42))
	for _, o := range orders {
		for _, widths := range [][]int{nil, {8}, {8, 6}, {7, 9, 5}, {2}, {1, 3}} {
			for _, reps := range []int{1, 2, 3} {
				for _, random := range []bool{false, true} {
					name := fmt.Sprintf("%s/w%v/reps%d/random=%v", o.name, widths, reps, random)
					t.Run(name, func(t *testing.T) {
						var r *rand.Rand
						if random {
							r = rng
						}
						ms, hidden := MADE(o.in, widths, reps, r)
						require.Len(t, ms, len(widths)+1)
						require.Len(t, hidden, len(widths))
						for l, h := range hidden {
							assert.IsNonDecreasing(t, []int(h))
							for _, v := range h {
								require.GreaterOrEqual(t, v, 0)
								require.LessOrEqual(t, v, max(o.in.Max()-1, 0), "layer %d", l)
							}
						}
						require.NoError(t, Check(ms, o.in))
						c := Connectivity(ms)
						r0, c0 := c.Dims()
						require.Equal(t, len(o.in), r0)
						require.Equal(t, reps*len(o.in), c0)

						wide := true
						for _, w := range widths {
							wide = wide && w >= o.in.Max()-1
						}
						if !random && wide {
							require.NoError(t, CheckMaximal(ms, o.in))
							requireEqual(t, Allowed(o.in, reps), c)
						}
						if o.in.Max() <= 1 {
							// Nothing may be seen: outputs depend only on biases.
							requireEqual(t, mat.NewDense(r0, c0, nil), c)
						}
					})
				}
			}
		}
	}
}

func TestCheckMaximalNarrow(t *testing.T) {
	// A single hidden unit of degree 1: only the first input reaches the
	// later outputs, so output 2 (degree 3) misses input 1 (degree 2).
	ms, _ := MADE(Natural(3), []int{1}, 1, nil)
	require.NoError(t, Check(ms, Natural(3)))
	assert.EqualError(t, CheckMaximal(ms, Natural(3)), "masks: output 2 (degree 3) does not see input 1 (degree 2)")
}

func TestCheckContext(t *testing.T) {
	// Data [x0, x1] with degrees 1, 2 and one context input: the hidden degrees run over 0..K-1,
	// so that units of degree 0 carry the context to every output, the first dimension's too.
	in := Natural(2).WithContext(1)
	ms, hidden := MADE(in, []int{3}, 2, nil)
	assert.Equal(t, []Degrees{{0, 0, 1}}, hidden)
	require.NoError(t, Check(ms, in))
	requireEqual(t, dense(
		[]float64{0, 1, 0, 1},
		[]float64{0, 0, 0, 0},
		[]float64{1, 1, 1, 1},
	), Connectivity(ms))
	require.NoError(t, CheckMaximal(ms, in))

	// With K = 1 the hidden units have degree 0 and see only the context.
	in1 := Natural(1).WithContext(2)
	ms1, _ := MADE(in1, []int{2}, 2, nil)
	require.NoError(t, CheckMaximal(ms1, in1))
	requireEqual(t, dense(
		[]float64{0, 0},
		[]float64{1, 1},
		[]float64{1, 1},
	), Connectivity(ms1))
}

func TestCheckRejects(t *testing.T) {
	broken := func(in Degrees, widths []int, reps, layer, a, b int) []*mat.Dense {
		ms, _ := MADE(in, widths, reps, nil)
		ms[layer].Set(a, b, 1)
		return ms
	}
	for _, tc := range []struct {
		name  string
		masks []*mat.Dense
		in    Degrees
		err   string
	}{
		{
			// Input 2 (degree 3) wired into hidden unit 3 (degree 2).
			"input to hidden", broken(Natural(3), []int{4}, 1, 0, 2, 3), Natural(3),
			"masks: output 2 (degree 3) sees input 2 (degree 3)",
		},
		{
			// Hidden unit 3 (degree 2, sees inputs 0 and 1) wired into
			// output 1 (degree 2): input 0 is allowed, input 1 is not.
			"hidden to output", broken(Natural(3), []int{4}, 1, 1, 3, 1), Natural(3),
			"masks: output 1 (degree 2) sees input 1 (degree 2)",
		},
		{
			// Direct mask: output 0 (degree 4 in reversed order) sees input 0.
			"diagonal", broken(Reversed(4), nil, 1, 0, 0, 0), Reversed(4),
			"masks: output 0 (degree 4) sees input 0 (degree 4)",
		},
		{
			// Second copy (scale) of dimension 1: column 4 of 2×3 outputs.
			"reps 2", broken(Natural(3), []int{4, 4}, 2, 2, 2, 4), Natural(3),
			"masks: output 4 (degree 2) sees input 1 (degree 2)",
		},
		{
			"blocks within block", broken(Degrees{1, 1, 2}, nil, 1, 0, 0, 1), Degrees{1, 1, 2},
			"masks: output 1 (degree 1) sees input 0 (degree 1)",
		},
		{
			"all ones", []*mat.Dense{mat.NewDense(2, 2, []float64{1, 1, 1, 1})}, Natural(2),
			"masks: output 0 (degree 1) sees input 0 (degree 1)",
		},
		{
			"wrong degrees", func() []*mat.Dense { ms, _ := MADE(Natural(3), []int{4}, 1, nil); return ms }(), Reversed(3),
			"masks: output 1 (degree 2) sees input 0 (degree 3)",
		},
		{
			"shape chain", []*mat.Dense{mat.NewDense(2, 3, nil), mat.NewDense(2, 2, nil)}, Natural(2),
			"masks: mask 0 has 3 columns but mask 1 has 2 rows",
		},
		{
			"rows", []*mat.Dense{mat.NewDense(3, 2, nil)}, Natural(2),
			"masks: first mask has 3 rows, want 2 inputs",
		},
		{
			"cols", []*mat.Dense{mat.NewDense(2, 3, nil)}, Natural(2),
			"masks: last mask has 3 columns, not a multiple of D = 2",
		},
		{
			"negative entry", []*mat.Dense{mat.NewDense(2, 2, []float64{0, 0, -1, 0})}, Natural(2),
			"masks: mask 0 entry (1, 0) = -1 is not finite and non-negative",
		},
		{"no masks", nil, Natural(2), "masks: no masks"},
		{"empty mask", []*mat.Dense{{}}, Natural(2), "masks: mask 0 is empty"},
		{
			"no data", []*mat.Dense{mat.NewDense(2, 2, nil)}, Degrees{0, 0},
			"masks: no data inputs (all 2 degrees are 0)",
		},
		{
			"negative degree", []*mat.Dense{mat.NewDense(2, 2, nil)}, Degrees{1, -1},
			"masks: negative degree -1 at input 1",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.EqualError(t, Check(tc.masks, tc.in), tc.err)
		})
	}
}
