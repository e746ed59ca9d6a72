package masks

import (
	"fmt"
	"math/rand"
	"sort"
)

// Hidden returns width degrees for a hidden layer fed by a layer with
// degrees prev, in a MADE whose data degrees run over 1..k.
//
// Hidden degrees lie in 1..k-1: a unit of degree m may see previous units of
// degree <= m and is seen by outputs of degree > m, so a unit of degree k
// would be useless (Germain et al. 2015).
//
// Deterministic (rng nil), as in nflows: unit u (0-based) gets
//
//	m(u) = u mod (k-1) + 1,
//
// cycling through 1..k-1 so that every degree is used once width >= k-1.
//
// Random (rng given), as in MADE: each m(u) is drawn uniformly on
// [lo, k-1] with lo = min{prev[j] : prev[j] >= 1} (1 if there is none),
// clamped to k-1, so that no unit is disconnected from the previous layer.
//
// In both cases the degrees are returned sorted ascending: at sampling step
// i only a leading block of hidden units (those of degree < i) is relevant.
// When k <= 1 every hidden degree is 0: hidden units only see degree-0
// (context) inputs and the outputs depend on nothing but the biases and the
// context.
func Hidden(prev Degrees, k, width int, rng *rand.Rand) Degrees {
	if width < 0 {
		panic(fmt.Sprintf("masks: negative hidden width %d", width))
	}
	deg := make(Degrees, width)
	if k <= 1 {
		return deg
	}
	if rng == nil {
		for u := range deg {
			deg[u] = u%(k-1) + 1
		}
	} else {
		lo := 0
		for _, v := range prev {
			if v >= 1 && (lo == 0 || v < lo) {
				lo = v
			}
		}
		if lo == 0 {
			lo = 1
		}
		lo = min(lo, k-1)
		for u := range deg {
			deg[u] = lo + rng.Intn(k-lo)
		}
	}
	sort.Ints(deg)
	return deg
}

// Repeat returns the degrees of an output layer with reps outputs per data
// dimension: reps copies of in, concatenated, [in..., in..., ...]. Output
// column c then belongs to dimension c mod len(in); for an affine MADE with
// reps = 2 the first len(in) columns are the shifts and the last the
// log-scales (or the other way round: the masks do not care).
func Repeat(in Degrees, reps int) Degrees {
	if reps < 1 {
		panic(fmt.Sprintf("masks: reps %d < 1", reps))
	}
	out := make(Degrees, 0, reps*len(in))
	for range reps {
		out = append(out, in...)
	}
	return out
}
