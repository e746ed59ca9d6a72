package masks

import (
	"fmt"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOrders(t *testing.T) {
	for _, tc := range []struct {
		name string
		got  Degrees
		want Degrees
	}{
		{"natural", Natural(4), Degrees{1, 2, 3, 4}},
		{"natural0", Natural(0), Degrees{}},
		{"reversed", Reversed(4), Degrees{4, 3, 2, 1}},
		{"alternate0", Alternate(0, 3), Degrees{1, 2, 3}},
		{"alternate1", Alternate(1, 3), Degrees{3, 2, 1}},
		{"alternate2", Alternate(2, 3), Degrees{1, 2, 3}},
		{"reverse perm", Degrees{2, 3, 1}.Reverse(), Degrees{2, 1, 3}},
		{"reverse blocks", Degrees{1, 1, 2, 3}.Reverse(), Degrees{3, 3, 2, 1}},
		{"reverse context", Degrees{1, 2, 0}.Reverse(), Degrees{2, 1, 0}},
		{"data", Degrees{0, 2, 0, 1}.Data(), Degrees{2, 1}},
		{"with context", Degrees{2, 1}.WithContext(2), Degrees{2, 1, 0, 0}},
		{"repeat", Repeat(Degrees{2, 1}, 3), Degrees{2, 1, 2, 1, 2, 1}},
	} {
		t.Run(tc.name, func(t *testing.T) { assert.Equal(t, tc.want, tc.got) })
	}
}

func TestFromOrderAndOrder(t *testing.T) {
	for _, tc := range []struct {
		order []int
		deg   Degrees
	}{
		{[]int{0, 1, 2}, Degrees{1, 2, 3}},
		{[]int{2, 1, 0}, Degrees{3, 2, 1}},
		{[]int{2, 0, 1}, Degrees{2, 3, 1}},
		{[]int{1, 3, 0, 2}, Degrees{3, 1, 4, 2}},
	} {
		got, err := FromOrder(tc.order)
		require.NoError(t, err)
		assert.Equal(t, tc.deg, got)
		assert.Equal(t, tc.order, got.Order())
	}
	// Stable for blocks and context.
	assert.Equal(t, []int{3, 1, 2, 0}, Degrees{2, 1, 1, 0}.Order())

	for _, tc := range []struct {
		order []int
		err   string
	}{
		{[]int{0, 2}, "masks: order[1] = 2 outside 0..1"},
		{[]int{1, 0, 1}, "masks: order[2] = 1 repeats order[0]: not a permutation"},
		{[]int{-1}, "masks: order[0] = -1 outside 0..0"},
	} {
		_, err := FromOrder(tc.order)
		assert.EqualError(t, err, tc.err)
	}
}

func TestRandom(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	seen := map[string]bool{}
	for range 50 {
		d := Random(4, rng)
		require.NoError(t, d.Validate())
		require.Equal(t, 4, d.Max())
		seen[fmt.Sprint(d)] = true
	}
	assert.Greater(t, len(seen), 5, "random orders should vary")
	assert.Equal(t, Random(5, rand.New(rand.NewSource(7))), Random(5, rand.New(rand.NewSource(7))))
	assert.PanicsWithValue(t, "masks: nil rng", func() { Random(3, nil) })
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		deg Degrees
		err string
	}{
		{Degrees{1, 2, 3}, ""},
		{Degrees{3, 1, 2}, ""},
		{Degrees{1, 1, 2}, ""},
		{Degrees{2, 1, 2, 1}, ""},
		{Degrees{1}, ""},
		{Degrees{}, "masks: empty degrees"},
		{Degrees{1, 0, 2}, "masks: degree 0 at position 1 outside 1..2"},
		{Degrees{1, -2}, "masks: degree -2 at position 1 outside 1..1"},
		{Degrees{1, 3, 1}, "masks: degree 1 at position 2 repeats position 0 in a permutation of 1..3"},
		{Degrees{1, 3, 3, 1}, "masks: degree 2 unused: degrees must cover 1..3"},
		// The largest degree is never trusted to size an allocation: a degree beyond len(d)
		// leaves one of 1..len(d)+1 unused, whatever its size.
		{Degrees{1, 1 << 40}, "masks: degree 2 unused: degrees must cover 1..1099511627776"},
		{Degrees{1 << 62}, "masks: degree 1 unused: degrees must cover 1..4611686018427387904"},
		{Degrees{1<<63 - 1, 1}, "masks: degree 2 unused: degrees must cover 1..9223372036854775807"},
		{Degrees{2, 1 << 40, 0}, "masks: degree 0 at position 2 outside 1..1099511627776"},
	} {
		err := tc.deg.Validate()
		if tc.err == "" {
			assert.NoError(t, err, "%v", tc.deg)
		} else {
			assert.EqualError(t, err, tc.err)
		}
	}
}

func TestBlocks(t *testing.T) {
	for _, tc := range []struct {
		sizes []int
		want  Degrees
		err   string
	}{
		{[]int{2, 1}, Degrees{1, 1, 2}, ""},
		{[]int{1, 1, 1}, Degrees{1, 2, 3}, ""},
		{[]int{3}, Degrees{1, 1, 1}, ""},
		{[]int{1, 3}, Degrees{1, 2, 2, 2}, ""},
		{[]int{2, 0, 1}, nil, "masks: block 1 has size 0 < 1 (sizes [2 0 1], sum 3)"},
		{[]int{2, -1}, nil, "masks: block 1 has size -1 < 1 (sizes [2 -1], sum 1)"},
		{nil, nil, "masks: no block sizes"},
	} {
		got, err := Blocks(tc.sizes)
		if tc.err != "" {
			assert.EqualError(t, err, tc.err)
			continue
		}
		require.NoError(t, err)
		assert.Equal(t, tc.want, got)
		require.NoError(t, got.Validate())
	}

	got, err := BlocksOf([]int{2, 1}, []int{2, 0, 1})
	require.NoError(t, err)
	assert.Equal(t, Degrees{1, 2, 1}, got)
	_, err = BlocksOf([]int{2, 1}, []int{0, 1})
	assert.EqualError(t, err, "masks: order has length 2, block sizes [2 1] sum to 3")
	_, err = BlocksOf([]int{2, 1}, []int{0, 1, 1})
	assert.EqualError(t, err, "masks: order[2] = 1 repeats order[1]: not a permutation")
}

func TestHidden(t *testing.T) {
	for _, tc := range []struct {
		name string
		prev Degrees
		k, w int
		want Degrees
	}{
		{"k3 w4", Natural(3), 3, 4, Degrees{1, 1, 2, 2}},
		{"k3 w5", Natural(3), 3, 5, Degrees{1, 1, 1, 2, 2}},
		{"k4 w5", Natural(4), 4, 5, Degrees{1, 1, 2, 2, 3}},
		{"k4 w2", Natural(4), 4, 2, Degrees{1, 2}},
		{"k2", Natural(2), 2, 3, Degrees{1, 1, 1}},
		{"k1", Natural(1), 1, 3, Degrees{0, 0, 0}},
		{"k0", Degrees{0, 0}, 0, 2, Degrees{0, 0}},
		{"w0", Natural(3), 3, 0, Degrees{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, Hidden(tc.prev, tc.k, tc.w, nil))
		})
	}
}

func TestHiddenRandom(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	for _, tc := range []struct {
		prev   Degrees
		k      int
		lo, hi int
	}{
		{Natural(5), 5, 1, 4},
		{Degrees{3, 2, 4}, 5, 2, 4},
		{Degrees{0, 3, 0}, 5, 3, 4},
		{Degrees{0, 0}, 5, 1, 4},
		{Degrees{4, 4}, 4, 3, 3}, // min prev clamped to k-1
		{Natural(1), 1, 0, 0},
	} {
		h := Hidden(tc.prev, tc.k, 200, rng)
		require.Len(t, h, 200)
		assert.IsNonDecreasing(t, []int(h))
		assert.Equal(t, tc.lo, h[0], "%v", tc.prev)
		assert.Equal(t, tc.hi, h[len(h)-1], "%v", tc.prev)
	}
}

func TestGroups(t *testing.T) {
	require.Equal(t, [][]int{{1, 3}, {0, 2}, {4}}, Degrees{2, 1, 2, 1, 3}.Groups())
	require.Equal(t, [][]int{{2}, {1}, {0}}, Degrees{3, 2, 1}.Groups())
	require.Empty(t, Degrees{}.Groups())
}
