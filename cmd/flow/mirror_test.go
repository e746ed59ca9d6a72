package main

import (
	"context"
	"math/rand"
	"testing"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/layers/layertest"
	"github.com/affineflow/flow/trainer"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// testTeacher is a MAF of 3 dimensions, 2 layers and the activation act, far from the identity.
func testTeacher(t *testing.T, act layers.Activation) *distributions.Flow {
	rng := rand.New(rand.NewSource(3))
	teacher, err := distributions.Build(3, distributions.Spec{Layers: 2, Hidden: []int{16}, Activation: act}, rng)
	require.NoError(t, err)
	layertest.Perturb(teacher, rng, 0.3)
	return teacher
}

// The regression's rows are the teacher's sampling path, checked against the layers' own maps:
// every u_k is L_k(x_k), the σ_k sum to L_k's log-det at x_k, x_k is the next layer's input, and
// the inputs of the last layer are the base draws, every other one widened, and x_1 is then the
// teacher's sample of the same base draws.
func TestMirrorRows(t *testing.T) {
	teacher := testTeacher(t, layers.Tanh)
	_, m, err := mirrorStudent(teacher, []int{8}, layers.Tanh, 1)
	require.NoError(t, err)
	require.Len(t, m.pairs, 2)
	const n, d = 50, 3
	rows := m.rows(n, rand.New(rand.NewSource(5)))
	block := func(k, part int) *mat.Dense {
		return mat.DenseCopyOf(rows.Slice(0, n, 3*d*k+d*part, 3*d*k+d*(part+1)))
	}
	for k, p := range m.pairs {
		u, x, sig := block(k, 0), block(k, 1), block(k, 2)
		y, ld := p.teacher.Transform(x)
		require.True(t, mat.EqualApprox(y, u, 1e-9), "layer %d: L(x) ≠ u", k)
		for r := range n {
			require.InDelta(t, ld[r], floats.Sum(sig.RawRowView(r)), 1e-9, "layer %d row %d", k, r)
		}
		if k > 0 {
			require.True(t, mat.Equal(block(k-1, 0), x), "layer %d's x is not layer %d's u", k, k-1)
		}
	}
	z := teacher.SampleBase(n, rand.New(rand.NewSource(5)))
	x := teacher.Sample(n, rand.New(rand.NewSource(5)))
	for r := range n {
		if r%2 == 1 {
			floats.Scale(mirrorWiden, z.RawRowView(r))
			continue
		}
		require.InDeltaSlice(t, x.RawRowView(r), block(0, 1).RawRowView(r), 1e-9, "row %d", r)
	}
	require.True(t, mat.Equal(z, block(1, 0)))
}

// Fitting the mirror takes KL(teacher ‖ student) from the student's start (the identity layers)
// to a small fraction of it; the student samples in one pass per layer, the teacher's layers and
// base are untouched.
func TestMirrorFit(t *testing.T) {
	teacher := testTeacher(t, layers.Tanh)
	before := teacher.LogProbs(teacher.Sample(100, rand.New(rand.NewSource(1))))
	student, m, err := mirrorStudent(teacher, []int{32, 32}, layers.Tanh, 1)
	require.NoError(t, err)
	require.NoError(t, student.CanSampleGraph())
	kl := func() float64 {
		x, lt := teacher.SampleWithLogProb(4000, rand.New(rand.NewSource(9)))
		ls := student.LogProbs(x)
		floats.Sub(lt, ls)
		return floats.Sum(lt) / 4000
	}
	start := kl()
	res, err := fitMirror(context.Background(), m, 2000, trainer.Settings{Epochs: 100, LearningRate: 3e-3, Schedule: "cosine"})
	require.NoError(t, err)
	require.Len(t, res.History, 100)
	after := kl()
	t.Logf("KL %g -> %g", start, after)
	require.Less(t, after, start/10, "KL before %g, after %g", start, after)
	require.Less(t, after, 0.05, "KL before %g", start)
	require.Equal(t, before, teacher.LogProbs(teacher.Sample(100, rand.New(rand.NewSource(1)))))
}

// Only MADE affine layers are mirrored.
func TestMirrorRefuses(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for _, s := range []distributions.Spec{{Layers: 1, Hidden: []int{4}, Mask: "injection"}, {Layers: 1, Hidden: []int{4}, Transform: layers.Spline(4, 3)}} {
		teacher, err := distributions.Build(2, s, rng)
		require.NoError(t, err)
		_, _, err = mirrorStudent(teacher, []int{4}, layers.Tanh, 1)
		require.ErrorContains(t, err, "mirroring takes MADE affine layers", s)
		require.ErrorContains(t, err, map[string]string{"injection": "is an injection layer", "": "is a spline affine_injection layer"}[s.Mask])
	}
}
