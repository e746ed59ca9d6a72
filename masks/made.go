package masks

import (
	"math/rand"

	"gonum.org/v1/gonum/mat"
)

// MADE returns the masks of a full MADE network (Germain et al. 2015)
//
//	in → widths[0] → ... → widths[L-1] → reps·D outputs
//
// together with the hidden degrees used, one Degrees per hidden layer. The data degrees are
// in.Data(), D = len(in.Data()) and K = in.Max(); the masks are
//
//	Between(in, h[0], false), Between(h[0], h[1], false), ...,
//	Between(h[L-1], Repeat(in.Data(), reps), true)
//
// each shaped fan-in × fan-out for h·W. Without context inputs hidden layer l gets
// Hidden(prev, K, widths[l], rng), degrees in 1..K−1, prev the degrees of the layer below. Context
// inputs (degree 0, in.WithContext) are seen by every hidden unit and have no outputs; the hidden
// degrees then run over 0..K−1 (those Hidden gives with every degree shifted up by one, K+1 as
// the largest, shifted back), so that units of degree 0 see only the context and every output,
// the first dimension's too, depends on it through the network. Hidden is deterministic when rng
// is nil. With no hidden layer (widths empty) the single mask is
// Between(in, Repeat(in.Data(), reps), true).
func MADE(in Degrees, widths []int, reps int, rng *rand.Rand) (masks []*mat.Dense, hidden []Degrees) {
	data := in.Data()
	shift := 0 // 1 with context inputs: Hidden then works on degrees shifted up by one
	if len(data) < len(in) {
		shift = 1
	}
	k := in.Max() + shift
	prev := in
	for _, w := range widths {
		h := Hidden(prev.plus(shift), k, w, rng).plus(-shift)
		masks = append(masks, Between(prev, h, false))
		hidden = append(hidden, h)
		prev = h
	}
	masks = append(masks, Between(prev, Repeat(data, reps), true))
	return masks, hidden
}

// plus returns d with s added to every degree (d itself for s = 0).
func (d Degrees) plus(s int) Degrees {
	if s == 0 {
		return d
	}
	out := make(Degrees, len(d))
	for i, v := range d {
		out[i] = v + s
	}
	return out
}
