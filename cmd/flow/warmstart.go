package main

import (
	"context"
	"math/rand"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/graph"
	"github.com/affineflow/flow/trainer"
	"gonum.org/v1/gonum/mat"
	G "gorgonia.org/gorgonia"
)

// warmStart fits the student's sampler S to the teacher's T⁻¹ by least squares on shared base
// draws: it minimizes E_z ‖S(z) − T⁻¹(z)‖² over n draws (a tenth more held out for early
// stopping). The loss is parallel (the student's one-pass sampler against fixed targets) and
// stable, and it starts the student on the teacher's transport map, so every mode of the teacher
// is reached from the base region the teacher reaches it from: a likelihood or reverse-KL fit from
// there does not have to move mass between modes (reverse KL from scratch tends to drop a mode).
func warmStart(ctx context.Context, teacher, student *distributions.Flow, n int, seed int64, s trainer.Settings) (*trainer.Result, error) {
	pairs := func(rows int, seed int64) *mat.Dense {
		d := teacher.Dim()
		z := teacher.SampleBase(rows, rand.New(rand.NewSource(seed)))
		x := teacher.Sample(rows, rand.New(rand.NewSource(seed))) // the same base draws first
		zx := mat.NewDense(rows, 2*d, nil)
		zx.Slice(0, rows, 0, d).(*mat.Dense).Copy(z)
		zx.Slice(0, rows, d, 2*d).(*mat.Dense).Copy(x)
		return zx
	}
	return trainer.FitContext(ctx, transport{student, teacher.Dim()}, pairs(n, seed+4), pairs(max(1, n/10), seed+5), s)
}

// transport is a Model on rows [z | x] (N×2D): its "log-likelihood" of a row is −‖S(z) − x‖²,
// with S(z) the student's graph sampler.
type transport struct {
	s *distributions.Flow
	d int
}

func (m transport) Params() []*graph.Param { return m.s.Params() }

func (m transport) LogProb(g *graph.Graph, zx *G.Node) *G.Node {
	z := G.Must(G.Slice(zx, nil, G.S(0, m.d)))
	x, _ := m.s.SampleGraph(g, z)
	diff := G.Must(G.Sub(x, G.Must(G.Slice(zx, nil, G.S(m.d, 2*m.d)))))
	return G.Must(G.Neg(G.Must(G.Sum(G.Must(G.Square(diff)), 1))))
}
