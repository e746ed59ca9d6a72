package masks

import (
	"fmt"
	"math/rand"
)

// Natural returns the identity order 1, 2, ..., d: dimension i is
// processed (i+1)-th, as in the first layer of MAF.
func Natural(d int) Degrees {
	checkDim(d)
	deg := make(Degrees, d)
	for i := range deg {
		deg[i] = i + 1
	}
	return deg
}

// Reversed returns the reversed order d, ..., 1: the last dimension is
// processed first.
func Reversed(d int) Degrees {
	checkDim(d)
	deg := make(Degrees, d)
	for i := range deg {
		deg[i] = d - i
	}
	return deg
}

// Random returns a uniformly random permutation of 1..d drawn from rng
// (MADE's order-agnostic training, Germain et al. 2015). It panics if rng is
// nil: randomness is never taken from the global source.
func Random(d int, rng *rand.Rand) Degrees {
	checkDim(d)
	if rng == nil {
		panic("masks: nil rng")
	}
	deg := make(Degrees, d)
	for i, v := range rng.Perm(d) {
		deg[i] = v + 1
	}
	return deg
}

// FromOrder converts an order into degrees: order[k] is the (0-based) index
// of the input processed k-th, and the result has deg[order[k]] = k+1. It
// returns an error if order is not a permutation of 0..d-1.
func FromOrder(order []int) (Degrees, error) {
	if err := checkPerm(order); err != nil {
		return nil, err
	}
	deg := make(Degrees, len(order))
	for k, i := range order {
		deg[i] = k + 1
	}
	return deg, nil
}

// Alternate returns the degrees of the l-th layer (l = 0, 1, ...) of a stack
// of autoregressive layers on d dimensions: Natural(d) for even l and
// Reversed(d) for odd l, the order reversal between layers used by MAF
// (Papamakarios et al. 2017).
func Alternate(l, d int) Degrees {
	if l%2 == 0 {
		return Natural(d)
	}
	return Reversed(d)
}

// Blocks returns block-triangular degrees for dimensions grouped
// contiguously into K = len(sizes) blocks: the first sizes[0] dimensions get
// degree 1, the next sizes[1] get degree 2, and so on, for D = Σ sizes
// dimensions. Dimensions in the same block are predicted jointly from the
// earlier blocks. It returns an error naming the sizes and their sum if
// sizes is empty or any size is < 1.
func Blocks(sizes []int) (Degrees, error) {
	d, err := checkSizes(sizes)
	if err != nil {
		return nil, err
	}
	deg := make(Degrees, 0, d)
	for b, s := range sizes {
		for range s {
			deg = append(deg, b+1)
		}
	}
	return deg, nil
}

// BlocksOf is like Blocks but follows a permutation of the dimensions:
// dimensions order[0..sizes[0]-1] get block 1, the next sizes[1] entries of
// order get block 2, etc. BlocksOf(sizes, identity) equals Blocks(sizes). It
// returns an error if the sizes are invalid or order is not a permutation of
// 0..Σ sizes - 1.
func BlocksOf(sizes, order []int) (Degrees, error) {
	d, err := checkSizes(sizes)
	if err != nil {
		return nil, err
	}
	if len(order) != d {
		return nil, fmt.Errorf("masks: order has length %d, block sizes %v sum to %d", len(order), sizes, d)
	}
	if err := checkPerm(order); err != nil {
		return nil, err
	}
	deg := make(Degrees, d)
	k := 0
	for b, s := range sizes {
		for range s {
			deg[order[k]] = b + 1
			k++
		}
	}
	return deg, nil
}

func checkDim(d int) {
	if d < 0 {
		panic(fmt.Sprintf("masks: negative dimension %d", d))
	}
}

func checkSizes(sizes []int) (int, error) {
	sum := 0
	for _, s := range sizes {
		sum += s
	}
	if len(sizes) == 0 {
		return 0, fmt.Errorf("masks: no block sizes")
	}
	for b, s := range sizes {
		if s < 1 {
			return 0, fmt.Errorf("masks: block %d has size %d < 1 (sizes %v, sum %d)", b, s, sizes, sum)
		}
	}
	return sum, nil
}

func checkPerm(order []int) error {
	seen := make([]int, len(order))
	for i := range seen {
		seen[i] = -1
	}
	for k, i := range order {
		if i < 0 || i >= len(order) {
			return fmt.Errorf("masks: order[%d] = %d outside 0..%d", k, i, len(order)-1)
		}
		if seen[i] >= 0 {
			return fmt.Errorf("masks: order[%d] = %d repeats order[%d]: not a permutation", k, i, seen[i])
		}
		seen[i] = k
	}
	return nil
}
