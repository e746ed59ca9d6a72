package distributions

import (
	"fmt"
	"math/rand"
	"sort"
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
	// "block:SIZES" (e.g. "block:2,3"), or any registered kind.
	Mask string
	// Hidden, Activation, ScaleClamp and Residual configure every conditioner (layers.AffineSettings).
	Hidden     []int
	Activation layers.Activation
	ScaleClamp float64
	Residual   bool
	// Between inserts layers between the affine injection layers: "" (none), "actnorm",
	// "linear" or "actnorm+linear".
	Between string
	// DiagonalBase uses a learnable diagonal normal base instead of N(0, I).
	DiagonalBase bool
}

// MaskFunc builds the k-th (0-based) affine injection layer of a stack for data of width d. arg is
// the text after the colon in the Spec's mask name ("2,3" in "block:2,3").
type MaskFunc func(d, k int, arg string, s Spec, rng *rand.Rand) (layers.Layer, error)

var maskKinds = map[string]MaskFunc{}

// RegisterMask adds a mask kind to Build (and so to `flow fit -mask`). It panics on a duplicate.
func RegisterMask(name string, f MaskFunc) {
	if _, dup := maskKinds[name]; dup {
		panic("distributions: mask kind " + name + " registered twice")
	}
	maskKinds[name] = f
}

// MaskKinds lists the registered mask kinds, sorted.
func MaskKinds() []string {
	names := make([]string, 0, len(maskKinds))
	for n := range maskKinds {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func (s Spec) affine() layers.AffineSettings {
	return layers.AffineSettings{Hidden: s.Hidden, Activation: s.Activation, ScaleClamp: s.ScaleClamp, Residual: s.Residual}
}

func init() {
	RegisterMask("made", func(d, k int, _ string, s Spec, rng *rand.Rand) (layers.Layer, error) {
		return layers.NewAffineInjection(masks.Alternate(k, d), s.affine(), rng)
	})
	RegisterMask("random", func(d, k int, _ string, s Spec, rng *rand.Rand) (layers.Layer, error) {
		return layers.NewAffineInjection(masks.Random(d, rng), s.affine(), rng)
	})
	RegisterMask("injection", func(d, k int, _ string, s Spec, rng *rand.Rand) (layers.Layer, error) {
		return layers.NewInjection(masks.Alternate(k, d), layers.InjectionSettings{Hidden: s.Hidden,
			Activation: s.Activation, ScaleClamp: s.ScaleClamp, Residual: s.Residual}, rng)
	})
	RegisterMask("block", func(d, k int, arg string, s Spec, rng *rand.Rand) (layers.Layer, error) {
		sizes, err := ParseSizes(arg)
		if err != nil {
			return nil, err
		}
		deg, err := masks.Blocks(sizes)
		if err != nil {
			return nil, err
		}
		if len(deg) != d {
			return nil, fmt.Errorf("distributions: block sizes %v sum to %d, the data have %d dimensions", sizes, len(deg), d)
		}
		if k%2 == 1 {
			deg = deg.Reverse()
		}
		return layers.NewAffineInjection(deg, s.affine(), rng)
	})
}

// ParseSizes parses "2,3,1" into block sizes.
func ParseSizes(arg string) ([]int, error) {
	if arg == "" {
		return nil, fmt.Errorf("distributions: block sizes missing (want e.g. block:2,3)")
	}
	var sizes []int
	for _, f := range strings.Split(arg, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || v < 1 {
			return nil, fmt.Errorf("distributions: block size %q is not a positive integer", f)
		}
		sizes = append(sizes, v)
	}
	return sizes, nil
}

// Build returns a new flow for data of width d: Spec.Layers affine injection layers of the chosen
// mask kind (each starting as the identity), with the optional layers between them.
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
	name, arg, _ := strings.Cut(s.Mask, ":")
	if name == "" {
		name = "made"
	}
	mk, ok := maskKinds[name]
	if !ok {
		return nil, fmt.Errorf("distributions: unknown mask kind %q (known: %s)", s.Mask, strings.Join(MaskKinds(), ", "))
	}
	f := &Flow{Base: StandardNormal{D: d}}
	if s.DiagonalBase {
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
		l, err := mk(d, k, arg, s, rng)
		if err != nil {
			return nil, err
		}
		f.Layers = append(f.Layers, l)
	}
	return f, nil
}
