package recipe_test

import (
	"math"
	"math/rand"
	"testing"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/recipe"
	"github.com/affineflow/flow/trainer"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// poissonRows draws n rows of two independent Poisson counts with means l0 and l1.
func poissonRows(n int, l0, l1 float64, rng *rand.Rand) *mat.Dense {
	src := rand.New(rand.NewSource(rng.Int63()))
	p0, p1 := distuv.Poisson{Lambda: l0, Src: src}, distuv.Poisson{Lambda: l1, Src: src}
	x := mat.NewDense(n, 2, nil)
	for r := range n {
		x.Set(r, 0, p0.Rand())
		x.Set(r, 1, p1.Rand())
	}
	return x
}

// poissonEntropy is the exact entropy of Poisson(l) in nats.
func poissonEntropy(l float64) float64 {
	p := distuv.Poisson{Lambda: l}
	h := 0.0
	for k := 0.0; k < 200; k++ {
		if lp := p.LogProb(k); !math.IsInf(lp, -1) {
			h -= math.Exp(lp) * lp
		}
	}
	return h
}

// On integer data whose discrete likelihood is known exactly, the dequantized fit's NLL is an
// upper bound on the discrete NLL: above the true entropy (up to the test set's noise) and close
// to it. Non-integers in a discrete column are refused.
func TestDiscreteBound(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	train, val, test := poissonRows(3000, 3, 8, rng), poissonRows(1000, 3, 8, rng), poissonRows(3000, 3, 8, rng)
	res, err := recipe.Fit(train, val, recipe.Options{Spec: distributions.Spec{Layers: 3, Hidden: []int{32, 32}},
		Train: trainer.Settings{Epochs: 40, Seed: 1}, Discrete: []int{0, 1}})
	require.NoError(t, err)
	nll, err := recipe.DiscreteNLL(res.Flow, test, nil, []int{0, 1}, 4, rand.New(rand.NewSource(2)))
	require.NoError(t, err)
	h := poissonEntropy(3) + poissonEntropy(8) // 1.79 + 2.28 nats
	t.Logf("dequantized NLL %.4f, entropy %.4f", nll, h)
	require.Greater(t, nll, h-0.05, "a bound on the discrete NLL cannot beat the entropy")
	require.Less(t, nll, h+0.15, "the bound is close")

	bad := mat.DenseCopyOf(train)
	bad.Set(7, 1, 2.5)
	_, err = recipe.Fit(bad, val, recipe.Options{Train: trainer.Settings{Epochs: 1}, Discrete: []int{1}})
	require.ErrorContains(t, err, "row 8, column 2: 2.5 is not an integer")
	require.Equal(t, []int{0, 1}, recipe.IntegerColumns(train, 2))
}
