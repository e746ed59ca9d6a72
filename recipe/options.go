package recipe

import (
	"fmt"
	"math/rand"
	"strconv"
	"strings"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/trainer"
)

// Options configure Fit. The zero value is `flow fit` with no flags; every field names its flag.
type Options struct {
	// Spec is the model (-layers, -mask, -hidden, -activation, -residual, -scale-clamp, -between,
	// -order). Zero fields take the recipe's defaults: Hidden nil is distributions.DefaultHidden(D);
	// Layers 0 is 5 and Mask "" is "made", and when both are zero the recipe may select among
	// several models (Select). The base is Base's, not Spec.StudentT's (which must stay 0), and
	// Spec.Context is set from Context.
	Spec distributions.Spec
	// Base is the base density (-base): "" or "auto" (distributions.AutoBase: a Student-t of
	// ν = distributions.DefaultNu below distributions.SelectRows training rows; from there on MADE
	// MoG of distributions.DefaultMixture components up to distributions.AutoMixtureDim columns,
	// N(0, I) beyond), "normal", "student-t:NU", "student-t:learn", "mog:K" or "made-mog:K".
	Base string
	// Select is the model selection (-select): "" or "auto" (when Spec.Layers and Spec.Mask are
	// zero and there are fewer than distributions.SelectRows training rows, fit
	// distributions.DefaultCandidates and keep the best on the validation rows), "always" (the
	// same at any size), "none" (fit the one model Spec describes).
	Select string
	// More are models to select among after the rule's candidates (their base is Base's).
	More []distributions.Candidate
	// NoStandardize models the data as given (-standardize=false) instead of prepending the
	// training rows' standardization as a frozen first layer.
	NoStandardize bool
	// Bounds, when set, are the supports of the modelled columns (-bounds): Bounds[j] = {lo, hi}
	// for column j, one of them infinite for a one-sided support, {−Inf, +Inf} for an unbounded
	// column. The flow then starts with layers.Bounded (the two-sided columns) and
	// layers.HalfBounded (the one-sided), before the standardization, which is computed on their
	// output, so that it has no mass outside the bounds and its samples lie inside them. Every
	// training and validation value must lie strictly inside its bounds. nil: no bounds.
	Bounds [][2]float64
	// Discrete lists the modelled columns (0-based) that hold integers (-discrete): the training
	// and validation rows are dequantized once, x + u with u ~ U(0, 1) seeded by Train.Seed
	// (Dequantize), so that the density does not collapse onto the integers; the NLL of
	// dequantized rows then bounds the discrete NLL from above (DiscreteNLL). nil: none.
	Discrete []int
	// Context is the number of context columns (-context-cols): the last Context columns of every
	// row are what the flow conditions on, p(x | ctx); 0: an unconditional flow.
	Context int
	// Train are the trainer's settings (-epochs, -patience, -batch, -lr, -schedule, -weight-decay,
	// -clip, -seed, -checkpoint, -resume, -sparsity, -dtype). Unlike the trainer's own zero
	// values, Epochs 0 is trainer.AutoEpochs and Patience 0 is trainer.AutoPatience of the
	// training rows. Progress, when set, also receives the plan (Plan.Write) before training.
	Train trainer.Settings
	// Harden > 0 hardens the soft masks after training, keeping the entries >= Harden
	// (-harden); HardenTopK > 0 keeps the K largest of each row (-harden-topk). Either is followed
	// by FinetuneEpochs of fine-tuning with the hard masks (-finetune-epochs): 0 is 20, negative
	// is none.
	Harden         float64
	HardenTopK     int
	FinetuneEpochs int
	// Rand draws the initial weights; nil: rand.New(rand.NewSource(Train.Seed)).
	Rand *rand.Rand
}

// DefaultLayers is the number of layers of a single model when Spec.Layers is 0.
const DefaultLayers = 5

// DefaultFinetuneEpochs is the fine-tuning after hardening when FinetuneEpochs is 0.
const DefaultFinetuneEpochs = 20

// Base is a base density as -base names it.
type Base struct {
	Auto    bool    // "auto": resolved per data set by distributions.AutoBase
	Nu      float64 // "student-t:NU": ν of a Student-t base; 0: not a Student-t
	LearnNu bool    // "student-t:learn": ν learned, starting at distributions.DefaultNu
	Mixture int     // "mog:K": a learnable mixture of K diagonal Gaussians; 0: not a mixture
	MADE    bool    // "made-mog:K": the mixture is MADE MoG (distributions.MADEMixture), as in MAF MoG
}

// ParseBase reads a base as -base spells it: "" or "auto", "normal", "student-t:NU",
// "student-t:learn", "mog:K" or "made-mog:K".
func ParseBase(text string) (Base, error) {
	switch text {
	case "", "auto":
		return Base{Auto: true}, nil
	case "normal":
		return Base{}, nil
	}
	for _, prefix := range []string{"mog:", "made-mog:"} {
		if arg, ok := strings.CutPrefix(text, prefix); ok {
			k, err := strconv.Atoi(arg)
			if err != nil || k < 1 || k > distributions.MaxComponents {
				return Base{}, fmt.Errorf("base %q: want %sK with 1 <= K <= %d components (e.g. %s5)", text, prefix, distributions.MaxComponents, prefix)
			}
			return Base{Mixture: k, MADE: prefix == "made-mog:"}, nil
		}
	}
	if text == "student-t:learn" {
		return Base{Nu: distributions.DefaultNu, LearnNu: true}, nil
	}
	arg, ok := strings.CutPrefix(text, "student-t:")
	var nu float64
	var err error
	if ok {
		if nu, err = strconv.ParseFloat(arg, 64); err == nil {
			_, err = distributions.NewStudentT(1, nu) // its rule for ν
		}
	}
	if !ok || err != nil {
		return Base{}, fmt.Errorf("base %q: want auto, normal, student-t:NU with 0 < NU <= %g degrees of freedom (e.g. student-t:10), student-t:learn, mog:K or made-mog:K", text, distributions.MaxNu)
	}
	return Base{Nu: nu}, nil
}

// String names the base as -base spells it: "normal", "student-t:NU", "student-t:learn", "mog:K"
// or "made-mog:K" (auto: "auto").
func (b Base) String() string {
	switch {
	case b.Auto:
		return "auto"
	case b.Mixture > 0 && b.MADE:
		return "made-mog:" + strconv.Itoa(b.Mixture)
	case b.Mixture > 0:
		return "mog:" + strconv.Itoa(b.Mixture)
	case b.LearnNu:
		return "student-t:learn"
	case b.Nu > 0:
		return "student-t:" + strconv.FormatFloat(b.Nu, 'g', -1, 64)
	}
	return "normal"
}

// apply sets the base fields of spec (and its context width).
func (b Base) apply(spec *distributions.Spec, context int) {
	spec.Context, spec.StudentT, spec.LearnNu, spec.Mixture, spec.MixtureMADE = context, b.Nu, b.LearnNu, b.Mixture, b.MADE
}

// finetuneEpochs resolves FinetuneEpochs.
func (o Options) finetuneEpochs() int {
	switch {
	case o.FinetuneEpochs == 0:
		return DefaultFinetuneEpochs
	case o.FinetuneEpochs < 0:
		return 0
	}
	return o.FinetuneEpochs
}
