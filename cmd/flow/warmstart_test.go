package main

import (
	"context"
	"math/rand"
	"testing"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/trainer"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// The warm start moves the student's sampler onto the teacher's: the mean squared distance
// between S(z) and T⁻¹(z) on fresh shared draws falls several fold.
func TestWarmStart(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	teacher, err := distributions.Build(3, distributions.Spec{Layers: 2, Hidden: []int{16}}, rng)
	require.NoError(t, err)
	for _, p := range teacher.Params() { // a teacher far from the identity
		d := p.Data()
		for i := range d {
			d[i] += 0.3 * rng.NormFloat64()
		}
		p.Touch()
	}
	student, err := newStudent(teacher, 2, "16", "auto", true, 1)
	require.NoError(t, err)
	gap := func() float64 {
		z := teacher.SampleBase(2000, rand.New(rand.NewSource(9)))
		x := teacher.Sample(2000, rand.New(rand.NewSource(9)))
		var sq float64
		for r := 0; r < 2000; r++ {
			s := studentSample(student, z.RawRowView(r))
			for j, v := range s {
				sq += (v - x.At(r, j)) * (v - x.At(r, j))
			}
		}
		return sq / 2000
	}
	before := gap()
	res, err := warmStart(context.Background(), teacher, student, 2000, 1, trainer.Settings{Epochs: 30, LearningRate: 3e-3})
	require.NoError(t, err)
	require.Len(t, res.History, 30)
	after := gap()
	require.Less(t, after, before/4, "before %g, after %g", before, after)
}

// studentSample maps one base row through an IAF student's one-pass sampler: its layers' inverses,
// last layer first.
func studentSample(f *distributions.Flow, z []float64) []float64 {
	x := mat.NewDense(1, len(z), append([]float64(nil), z...))
	for k := len(f.Layers) - 1; k >= 0; k-- {
		x, _ = layers.InverseContext(f.Layers[k], x, nil)
	}
	return x.RawRowView(0)
}
