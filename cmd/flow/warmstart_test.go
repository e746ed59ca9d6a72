package main

import (
	"context"
	"math/rand"
	"testing"

	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/trainer"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// The warm start moves the student's sampler onto the teacher's: the mean squared distance
// between S(z) and T⁻¹(z) on fresh shared draws falls several fold.
func TestWarmStart(t *testing.T) {
	teacher := testTeacher(t, layers.ReLU)
	student, err := newStudent(teacher, 2, []int{16}, teacherActivation(teacher), true, 1)
	require.NoError(t, err)
	gap := func() float64 { // both bases are N(0, I): one seed gives both samplers the same z
		x := teacher.Sample(2000, rand.New(rand.NewSource(9)))
		sx := student.Sample(2000, rand.New(rand.NewSource(9)))
		sx.Sub(sx, x)
		fro := mat.Norm(sx, 2) // Frobenius: the root of the summed squares
		return fro * fro / 2000
	}
	before := gap()
	res, err := warmStart(context.Background(), teacher, student, 2000, 1, trainer.Settings{Epochs: 30, LearningRate: 3e-3})
	require.NoError(t, err)
	require.Len(t, res.History, 30)
	after := gap()
	require.Less(t, after, before/4, "before %g, after %g", before, after)
}
