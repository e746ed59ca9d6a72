package trainer

import (
	"math"
	"math/rand"
	"testing"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/graph"
	"github.com/affineflow/flow/layers"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// TestRestrictedAdam: Adam restricted to the masks' supports (graph.Graph.Restrict) takes the
// steps of the unrestricted one, the weights outside the supports never move, and the
// restriction leaves out about half of a MADE's weights.
func TestRestrictedAdam(t *testing.T) {
	build := func() *distributions.Flow {
		f, err := distributions.Build(8, distributions.Spec{Layers: 3, Hidden: []int{64, 64}}, rand.New(rand.NewSource(3)))
		require.NoError(t, err)
		return f
	}
	restricted, full := build(), build()
	x := mat.NewDense(32, 8, nil)
	rng := rand.New(rand.NewSource(4))
	x.Apply(func(int, int, float64) float64 { return rng.NormFloat64() }, x)
	s := Settings{LearningRate: 1e-2, WeightDecay: 0}
	sr, err := NewStepper(restricted, 32, 8, s)
	require.NoError(t, err)
	defer sr.Close()
	sf, err := NewStepper(full, 32, 8, s)
	require.NoError(t, err)
	defer sf.Close()
	sf.opt.restrict(make([][]graph.Span, len(sf.opt.M))) // every value
	require.Greater(t, len(sr.opt.pieces), len(sf.opt.pieces))

	before := map[*graph.Param][]float64{}
	for _, p := range restricted.Params() {
		before[p] = append([]float64(nil), p.Data()...)
	}
	for range 5 {
		_, err := sr.Step(x)
		require.NoError(t, err)
		_, err = sf.Step(x)
		require.NoError(t, err)
	}
	for k, p := range restricted.Params() {
		q := full.Params()[k]
		for i, v := range p.Data() {
			require.InDeltaf(t, q.Data()[i], v, 1e-12*math.Max(1, math.Abs(v)), "%s entry %d", p.Name, i)
		}
	}
	skipped, total := 0, 0
	for _, l := range restricted.Layers {
		a, ok := l.(*layers.AffineInjection)
		if !ok {
			continue
		}
		for _, dn := range a.Net.Layers {
			r, c := dn.Mask.Dims()
			moved := false
			for i := range r {
				for j := range c {
					if dn.Mask.At(i, j) == 0 {
						skipped++
						moved = moved || dn.W.Data()[i*c+j] != before[dn.W][i*c+j]
					}
				}
			}
			require.Falsef(t, moved, "%s: a weight outside the mask moved", dn.W.Name)
			total += r * c
		}
	}
	require.InDelta(t, 0.5, float64(skipped)/float64(total), 0.15, "share of a MADE's weights outside its masks")
}
