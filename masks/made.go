package masks

import (
	"math/rand"

	"gonum.org/v1/gonum/mat"
)

// MADE returns the masks of a full MADE network
//
//	in → widths[0] → ... → widths[L-1] → reps·D outputs
//
// together with the hidden degrees used, one Degrees per hidden layer. The
// data degrees are in.Data() (context inputs, degree 0, are seen by every
// hidden unit but have no outputs), D = len(in.Data()) and k = in.Max().
// Hidden layer l gets Hidden(prev, k, widths[l], rng) with prev the degrees
// of the layer below, so it is deterministic when rng is nil. The masks are
//
//	Between(in, h[0], false), Between(h[0], h[1], false), ...,
//	Between(h[L-1], Repeat(in.Data(), reps), true)
//
// each shaped fan-in × fan-out for h·W. With no hidden layer (widths empty)
// the single mask is Between(in, Repeat(in.Data(), reps), true).
func MADE(in Degrees, widths []int, reps int, rng *rand.Rand) (masks []*mat.Dense, hidden []Degrees) {
	out := Repeat(in.Data(), reps)
	k := in.Max()
	prev := in
	for _, w := range widths {
		h := Hidden(prev, k, w, rng)
		masks = append(masks, Between(prev, h, false))
		hidden = append(hidden, h)
		prev = h
	}
	masks = append(masks, Between(prev, out, true))
	return masks, hidden
}
