package distributions

import (
	"strconv"
	"strings"

	"github.com/affineflow/flow/layers"
)

// Candidate is a named model specification: one of the models a selection on the validation
// split chooses between (trainer.Select).
type Candidate struct {
	Name string
	Spec Spec
}

// SelectRows is the training-set size below which `flow fit`'s defaults choose their model on the
// validation split (DefaultCandidates): below it the model families differ by nats and the fits
// take minutes; above it MAF-5 comes within 0.1 nats of the best family (experiments/uci, "Why
// the defaults are standardization, then a model chosen on validation").
const SelectRows = 10000

// DefaultCandidates returns the models `flow fit` fits when no model flag is given, for n training
// rows of width d; base gives everything but the number of layers and the mask (widths,
// activation, layers between, context). From SelectRows rows on it is one model: up to
// AutoMixtureDim columns the spline MAF-5 ("nsf5", below; with the MADE MoG base of AutoBase it was
// 0.38 ± 0.03 nats ahead of MAF-5 on power_subset and 0.21 ± 0.10 on protein over three seeds, every
// seed ahead, for 1.5–2.2 times the training time; experiments/uci), MAF-5 ("maf5") beyond (on
// bsds300, 63 columns, the spline MAF-5 was 9.8 nats behind it at equal epochs, for 4.3–4.5 times
// the time per epoch), with base.Inverse, or when base has a spline transform already. Below,
// it is MAF-5, MAF-10 ("maf10"), five block-triangular layers ("block", BlockMask(d)) when d > 2
// (for d ≤ 2 those blocks are single dimensions and "block" is MAF-5), and, unless base already
// has a spline transform, MAF-5 with rational-quadratic splines ("nsf5", layers.Spline of
// DefaultSplineBins bins: on 13 small data sets over three seeds it was chosen where it helped,
// +4.4 nats on concrete, and never cost beyond the noise; experiments/uci), to be fitted alike and
// chosen by their best validation NLL. MAF-5 comes first, so that it wins ties and its weights are
// the first drawn from the random source, as without a selection. With base.Inverse (IAF) the
// candidates are those whose layers invert: MAF-5 and MAF-10.
func DefaultCandidates(d, n int, base Spec) []Candidate {
	with := func(name string, layers int, mask string) Candidate {
		s := base
		s.Layers, s.Mask = layers, mask
		return Candidate{Name: name, Spec: s}
	}
	nsf := with("nsf5", 5, "made")
	nsf.Spec.Transform = layers.Spline(layers.DefaultSplineBins, 0)
	out := []Candidate{with("maf5", 5, "made")}
	if n >= SelectRows {
		if d <= AutoMixtureDim && !base.Inverse && !base.Transform.IsSpline() {
			return []Candidate{nsf}
		}
		return out
	}
	out = append(out, with("maf10", 10, "made"))
	if base.Inverse {
		return out
	}
	if d > 2 {
		out = append(out, with("block", 5, BlockMask(d)))
	}
	if !base.Transform.IsSpline() {
		out = append(out, nsf)
	}
	return out
}

// BlockMask returns the block-triangular mask kind of DefaultCandidates for width d:
// "block:SIZES" with K = min(4, max(2, d/2)) contiguous blocks of nearly equal sizes, the larger
// first: four blocks on wide data, two (an affine coupling layer) for d ≤ 5. For d ≤ 2 the blocks
// are single dimensions and the layers are MADE layers.
func BlockMask(d int) string {
	k := min(4, max(2, d/2), d)
	sizes := make([]string, k)
	for b := range sizes {
		n := d / k
		if b < d%k {
			n++
		}
		sizes[b] = strconv.Itoa(n)
	}
	return "block:" + strings.Join(sizes, ",")
}
