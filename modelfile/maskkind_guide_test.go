package modelfile_test

// A throwaway mask kind added by following README.md's "Adding a mask type" to the letter, from a
// package other than distributions: this one file is all it takes, and TestMaskKinds (which ranges
// over the registry) runs every check on it.

import (
	"fmt"
	"math/rand"
	"strconv"
	"testing"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/masks"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// strided returns the mask in which dimension i sees the earlier dimensions j of the order whose
// gap deg(i) − deg(j) is a multiple of s.
func strided(order masks.Degrees, s int) *mat.Dense {
	m := masks.Dependency(order)
	m.Apply(func(i, j int, v float64) float64 {
		if (order[i]-order[j])%s != 0 {
			return 0
		}
		return v
	}, m)
	return m
}

func init() {
	distributions.RegisterMask(distributions.MaskKind{Name: "stride", Example: "stride:2",
		Help: "injection layers, each dimension seeing every S-th dimension before it",
		Build: func(d, k int, arg string, s distributions.Spec, rng *rand.Rand) (layers.Layer, error) {
			stride, err := strconv.Atoi(arg)
			if err != nil || stride < 1 {
				return nil, fmt.Errorf("stride:%s: want a positive integer (e.g. stride:2)", arg)
			}
			order := s.OrderFor(d, k, rng)
			return layers.NewInjection(order, layers.InjectionSettings{Mask: strided(order, stride), Hidden: s.Hidden,
				Activation: s.Activation, ScaleClamp: s.ScaleClamp, Residual: s.Residual}, rng)
		}})
}

// The registry, and so TestMaskKinds and `flow fit -mask`, picks the kind up.
func TestGuideKindRegistered(t *testing.T) {
	require.Contains(t, distributions.MaskKinds(), "stride")
	require.Contains(t, distributions.MaskHelp(), "stride:2")
	_, err := distributions.Build(4, distributions.Spec{Mask: "stride:0"}, rand.New(rand.NewSource(1)))
	require.ErrorContains(t, err, "stride:0")
}
