package masks

import (
	"fmt"
	"sort"
)

// Degrees holds one degree per unit. For data inputs the degree is the
// position in the layer's order (a permutation of 1..D), or the block number
// 1..K for block-triangular orders. Degree 0 means "seen by everyone" (e.g.
// context inputs) and is allowed for inputs.
type Degrees []int

// Max returns the largest degree K, or 0 for empty degrees.
func (d Degrees) Max() int {
	k := 0
	for _, v := range d {
		if v > k {
			k = v
		}
	}
	return k
}

// Order returns the inverse of the degrees: the input indices sorted by
// increasing degree, i.e. order[k] is the index processed k-th. The sort is
// stable, so dimensions sharing a block (or context inputs, degree 0) keep
// their index order. For a permutation, FromOrder(d.Order()) == d.
func (d Degrees) Order() []int {
	order := make([]int, len(d))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return d[order[a]] < d[order[b]] })
	return order
}

// Groups returns the input indices grouped by degree, lowest degree first, each group in index
// order: the dimensions an autoregressive inverse (or sampler) solves together, step by step.
func (d Degrees) Groups() [][]int {
	var groups [][]int
	for k, i := range d.Order() {
		if k == 0 || d[i] != d[groups[len(groups)-1][0]] {
			groups = append(groups, nil)
		}
		groups[len(groups)-1] = append(groups[len(groups)-1], i)
	}
	return groups
}

// Validate reports whether d is a valid set of data degrees: every degree
// lies in 1..K with K = d.Max(), and every value of 1..K is used. When K = D
// this means d is a permutation of 1..D (each degree exactly once); when
// K < D it is a block order with K non-empty blocks. The error names the
// offending position (or the unused degree). Context inputs (degree 0) are
// not data degrees: validate d.Data() for inputs that carry context. It
// allocates O(len(d)) whatever the values, so it is safe on degrees read
// from an untrusted file.
func (d Degrees) Validate() error {
	if len(d) == 0 {
		return fmt.Errorf("masks: empty degrees")
	}
	k := d.Max()
	if k > len(d) {
		return d.unused(k)
	}
	first := make([]int, k+1)
	for i := range first {
		first[i] = -1
	}
	for i, v := range d {
		if v < 1 || v > k {
			return fmt.Errorf("masks: degree %d at position %d outside 1..%d", v, i, k)
		}
		if first[v] >= 0 && k == len(d) {
			return fmt.Errorf("masks: degree %d at position %d repeats position %d in a permutation of 1..%d", v, i, first[v], k)
		}
		if first[v] < 0 {
			first[v] = i
		}
	}
	for v := 1; v <= k; v++ {
		if first[v] < 0 {
			return fmt.Errorf("masks: degree %d unused: degrees must cover 1..%d", v, k)
		}
	}
	return nil
}

// unused is Validate's error for degrees whose largest value k exceeds len(d): len(d) values
// cannot cover 1..k, so one of 1..len(d)+1 is unused, and only those are tracked. The
// position check comes first, as in Validate.
func (d Degrees) unused(k int) error {
	for i, v := range d {
		if v < 1 {
			return fmt.Errorf("masks: degree %d at position %d outside 1..%d", v, i, k)
		}
	}
	seen := make([]bool, len(d)+2)
	for _, v := range d {
		if v < len(seen) {
			seen[v] = true
		}
	}
	v := 1
	for seen[v] {
		v++
	}
	return fmt.Errorf("masks: degree %d unused: degrees must cover 1..%d", v, k)
}

// Reverse returns the reversed degrees K+1-d[i] with K = d.Max(): the last
// dimension (or block) comes first. Context degrees (0) stay 0. Reversing
// twice gives back d for valid degrees.
func (d Degrees) Reverse() Degrees {
	k := d.Max()
	r := make(Degrees, len(d))
	for i, v := range d {
		if v > 0 {
			r[i] = k + 1 - v
		}
	}
	return r
}

// Data returns the degrees of the data inputs, that is d without the context
// inputs (degree <= 0), in their original positions' order. These are the
// degrees repeated by the output layer of a MADE.
func (d Degrees) Data() Degrees {
	out := make(Degrees, 0, len(d))
	for _, v := range d {
		if v > 0 {
			out = append(out, v)
		}
	}
	return out
}

// WithContext returns d followed by c context inputs of degree 0, the input
// degrees of a conditional MADE fed with the concatenation [x, context].
func (d Degrees) WithContext(c int) Degrees {
	if c < 0 {
		panic(fmt.Sprintf("masks: negative context size %d", c))
	}
	out := make(Degrees, len(d), len(d)+c)
	copy(out, d)
	return append(out, make(Degrees, c)...)
}

// dataIndex returns the positions of the data inputs (degree > 0).
func (d Degrees) dataIndex() []int {
	idx := make([]int, 0, len(d))
	for i, v := range d {
		if v > 0 {
			idx = append(idx, i)
		}
	}
	return idx
}
