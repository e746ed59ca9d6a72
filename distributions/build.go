package distributions

import (
	"fmt"
	"math/rand"
	"strconv"
	"strings"

	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/masks"
)

// Spec describes a stack of affine injection layers. The zero value is a MAF-5: five MADE layers
// with orders reversed between layers and a standard normal base.
type Spec struct {
	// Layers is the number of affine injection layers; default 5.
	Layers int
	// Mask names the mask kind (see MaskKinds): "made" (default), "random", "injection",
	// "block:SIZES" (e.g. "block:2,3"), "banded:W", or any registered kind.
	Mask string
	// Hidden, Activation, ScaleClamp and Residual configure every conditioner (layers.AffineSettings).
	Hidden     []int
	Activation layers.Activation
	ScaleClamp float64
	Residual   bool
	// Transform is every layer's element-wise map: affine (the zero value) or a rational-quadratic
	// spline (layers.Spline(K, B)), with every mask kind.
	Transform layers.Transform
	// Between inserts layers between the affine injection layers: "" (none), "actnorm",
	// "linear" or "actnorm+linear".
	Between string
	// Order is how the autoregressive order changes from layer to layer: "alternate" (default:
	// natural, reversed, natural, ...) or "random" (a fresh random permutation per layer). Mask
	// kinds read it through Spec.OrderFor.
	Order string
	// Context is C, the number of context (conditioning) inputs every layer sees: the flow is then
	// a conditional density p(x | ctx) (see Flow.LogProbsContext, ConditionalFlow). Mask kinds
	// whose layers take no context refuse C > 0.
	Context int
	// Inverse uses every layer in the other direction (layers.Inverted; Kingma et al. 2016's
	// inverse autoregressive flow): sampling then costs one conditioner pass per layer and the
	// density the sequential inverse. Every layer needs a graph inverse (the affine map; not the
	// "block" kind's or Between's Linear maps).
	Inverse bool
	// DiagonalBase uses a learnable diagonal normal base instead of N(0, I).
	DiagonalBase bool
	// StudentT, when positive, is the degrees of freedom ν of a Student-t base (StudentT) instead
	// of N(0, I); 0: the normal base.
	StudentT float64
	// LearnNu learns the Student-t base's degrees of freedom (LearnedStudentT), starting at
	// StudentT.
	LearnNu bool
	// Mixture, when positive, is K of a learnable mixture of K diagonal Gaussians as the base
	// (Mixture); 0: no mixture.
	Mixture int
	// MixtureMADE makes the mixture MADE MoG (MADEMixture), the base of "MAF MoG": every
	// dimension's mixture has weights, means and scales from a MADE (Hidden, Activation,
	// ScaleClamp) on the earlier dimensions, in the order after the last layer's.
	MixtureMADE bool
}

func (s Spec) affine() layers.AffineSettings {
	return layers.AffineSettings{Hidden: s.Hidden, Activation: s.Activation, ScaleClamp: s.ScaleClamp,
		Residual: s.Residual, Context: s.Context, Elementwise: s.Transform}
}

// OrderFor returns the degrees of the k-th layer (0-based) on d dimensions under s.Order:
// masks.Alternate(k, d), or masks.Random(d, rng) for "random".
func (s Spec) OrderFor(d, k int, rng *rand.Rand) masks.Degrees {
	if s.Order == "random" {
		return masks.Random(d, rng)
	}
	return masks.Alternate(k, d)
}

// ParseInts parses a comma-separated list of positive integers ("128,128"); the error quotes the
// first entry that is not one.
func ParseInts(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || v < 1 {
			return nil, fmt.Errorf("%q is not a positive integer", f)
		}
		out = append(out, v)
	}
	return out, nil
}

// Build returns a new flow for data of width d: Spec.Layers affine injection layers of the chosen
// mask kind (each starting as the identity), with the optional layers between them. A mask kind
// that returns a layers.Sequence for a step ("block": the affine layer, then its block-diagonal
// Linear) contributes its layers one by one. A flow of more than about MaxParams parameters is
// refused before anything is allocated.
func Build(d int, s Spec, rng *rand.Rand) (*Flow, error) {
	if d < 1 {
		return nil, fmt.Errorf("distributions: data width %d, want >= 1", d)
	}
	if s.Layers == 0 {
		s.Layers = 5
	}
	if s.Layers < 0 {
		return nil, fmt.Errorf("distributions: %d layers, want >= 1", s.Layers)
	}
	if s.Order != "" && s.Order != "alternate" && s.Order != "random" {
		return nil, fmt.Errorf("distributions: unknown order %q (known: alternate, random)", s.Order)
	}
	if s.Context < 0 {
		return nil, fmt.Errorf("distributions: %d context inputs, want >= 0", s.Context)
	}
	if err := checkSize(d, s); err != nil {
		return nil, err
	}
	name, arg, _ := strings.Cut(s.Mask, ":")
	if name == "" {
		name = "made"
	}
	mk, ok := maskKinds[name]
	if !ok {
		return nil, fmt.Errorf("distributions: unknown mask kind %q (known: %s)", s.Mask, strings.Join(MaskKinds(), ", "))
	}
	f := &Flow{Base: StandardNormal{D: d}}
	switch {
	case (s.StudentT != 0 && s.DiagonalBase) || (s.Mixture != 0 && (s.StudentT != 0 || s.DiagonalBase)):
		return nil, fmt.Errorf("distributions: more than one base asked for (StudentT, DiagonalBase, Mixture)")
	case s.MixtureMADE && s.Mixture == 0:
		return nil, fmt.Errorf("distributions: MixtureMADE needs Mixture = K components")
	case s.MixtureMADE:
		m, err := NewMADEMixture(s.OrderFor(d, s.Layers, rng), s.Mixture, s.affine(), rng)
		if err != nil {
			return nil, err
		}
		f.Base = m
	case s.Mixture != 0:
		m, err := NewMixture(d, s.Mixture, rng)
		if err != nil {
			return nil, err
		}
		f.Base = m
	case s.LearnNu:
		t, err := NewLearnedStudentT(d, s.StudentT)
		if err != nil {
			return nil, err
		}
		f.Base = t
	case s.StudentT != 0:
		t, err := NewStudentT(d, s.StudentT)
		if err != nil {
			return nil, err
		}
		f.Base = t
	case s.DiagonalBase:
		f.Base = NewDiagonalNormal(d)
	}
	for k := 0; k < s.Layers; k++ {
		if k > 0 {
			switch s.Between {
			case "":
			case "actnorm":
				f.Layers = append(f.Layers, layers.NewActNorm(d))
			case "linear":
				f.Layers = append(f.Layers, layers.NewLinear(d, nil))
			case "actnorm+linear":
				f.Layers = append(f.Layers, layers.NewActNorm(d), layers.NewLinear(d, nil))
			default:
				return nil, fmt.Errorf("distributions: unknown between-layers kind %q (known: actnorm, linear, actnorm+linear)", s.Between)
			}
		}
		l, err := mk.Build(d, k, arg, s, rng)
		if err != nil {
			return nil, err
		}
		if s.Context > 0 && (!mk.TakesContext || layers.ContextDim(l) != s.Context) {
			return nil, fmt.Errorf("distributions: mask kind %q does not take context inputs", name)
		}
		if seq, ok := l.(layers.Sequence); ok {
			f.Layers = append(f.Layers, seq...)
		} else {
			f.Layers = append(f.Layers, l)
		}
	}
	if s.Inverse {
		for k, l := range f.Layers {
			inv, err := layers.Invert(l)
			if err != nil {
				return nil, fmt.Errorf("distributions: Inverse: layer %d: %w", k, err)
			}
			f.Layers[k] = inv
		}
	}
	return f, nil
}
