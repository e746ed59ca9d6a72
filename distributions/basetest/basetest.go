// Package basetest is the conformance suite every base density of a flow passes, as layertest is
// for layers: the graph log-density equals the numeric one, the log-density equals an independent
// oracle's (gonum's stat/distmv), sampling matches the oracle's mean and covariance, and every
// parameter gets the gradient finite differences give. Rows are points y of the noise space (N×D), log-densities are
// in nats.
package basetest

import (
	"fmt"
	"math"
	"math/rand"
	"testing"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/graph"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Oracle is an independent implementation of a base's density: distmv.Normal and
// distmv.StudentsT are ones.
type Oracle interface {
	LogProb(x []float64) float64
	Mean(dst []float64) []float64
	CovarianceMatrix(dst *mat.SymDense)
}

// Case is one base under test and its oracle.
type Case struct {
	Name   string
	Base   distributions.Base
	Oracle Oracle
	// Samples is the number of draws of the moment check; default 20,000.
	Samples int
}

// Tolerances of the suite: LogProbTol between the paths and against the oracle; the sample mean
// and covariance must lie within MomentSE standard errors (computed from the oracle's covariance)
// of the oracle's.
const (
	LogProbTol = 1e-10
	MomentSE   = 5
)

// Run runs the suite for every case as a subtest.
func Run(t *testing.T, cases []Case) {
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			rng := rand.New(rand.NewSource(1))
			d := c.Base.Dim()
			y := mat.NewDense(9, d, nil)
			y.Apply(func(_, _ int, _ float64) float64 { return 2 * rng.NormFloat64() }, y)
			lp := c.Base.LogProbs(y)
			t.Run("graph=numeric", func(t *testing.T) {
				require.InDeltaSlice(t, lp, graphLogProbs(t, c.Base, y), LogProbTol)
			})
			t.Run("oracle", func(t *testing.T) {
				for r := range lp {
					require.InDeltaf(t, c.Oracle.LogProb(y.RawRowView(r)), lp[r], LogProbTol, "row %d", r)
				}
			})
			t.Run("moments", func(t *testing.T) { checkMoments(t, c, rng) })
			t.Run("gradients", func(t *testing.T) { checkGradients(t, c.Base, y) })
		})
	}
}

// graphLogProbs evaluates the base's graph log-density at the rows of y.
func graphLogProbs(t *testing.T, b distributions.Base, y *mat.Dense) []float64 {
	g := graph.New()
	n, d := y.Dims()
	in := g.Input("y", n, d)
	lp := b.LogProb(g, in)
	vm := G.NewTapeMachine(g.ExprGraph)
	defer vm.Close()
	require.NoError(t, G.Let(in, tensor.New(tensor.WithShape(n, d), tensor.WithBacking(mat.DenseCopyOf(y).RawMatrix().Data))))
	require.NoError(t, vm.RunAll())
	return append([]float64(nil), lp.Value().Data().([]float64)...)
}

// checkMoments draws from the base and compares the sample mean and covariance with the
// oracle's, each entry within MomentSE standard errors (the variance of a sample covariance entry
// is estimated from the draws' fourth moments).
func checkMoments(t *testing.T, c Case, rng *rand.Rand) {
	n := c.Samples
	if n == 0 {
		n = 20000
	}
	x := c.Base.Sample(n, rng)
	_, d := x.Dims()
	mean := c.Oracle.Mean(nil)
	var cov mat.SymDense
	c.Oracle.CovarianceMatrix(&cov)
	for j := range d {
		col := mat.Col(nil, j, x)
		m := stat.Mean(col, nil)
		se := math.Sqrt(cov.At(j, j) / float64(n))
		require.InDeltaf(t, mean[j], m, MomentSE*se, "mean of column %d", j)
	}
	for i := range d {
		for j := 0; j <= i; j++ {
			prod := make([]float64, n)
			for r := range n {
				prod[r] = (x.At(r, i) - mean[i]) * (x.At(r, j) - mean[j])
			}
			m, sd := stat.MeanStdDev(prod, nil)
			require.InDeltaf(t, cov.At(i, j), m, MomentSE*sd/math.Sqrt(float64(n)), "covariance (%d, %d)", i, j)
		}
	}
}

// GradTol is the tolerance of the graph gradient of Σ log p against central finite differences of
// the numeric path, relative to max(1, |gradient|).
const GradTol = 1e-6

// checkGradients checks that every parameter of the base, and the point y itself (as a flow's
// last layer receives it), gets the gradient of Σ log p that central finite differences of the
// numeric log-density give.
func checkGradients(t *testing.T, b distributions.Base, y *mat.Dense) {
	n, d := y.Dims()
	yp := graph.NewParam("y", mat.DenseCopyOf(y).RawMatrix().Data, n, d)
	ps := append(b.Params(), yp)
	g := graph.New()
	loss := G.Must(G.Sum(b.LogProb(g, g.Param(yp))))
	nodes := g.Nodes(ps)
	_, err := G.Grad(loss, nodes...)
	require.NoError(t, err)
	vm := G.NewTapeMachine(g.ExprGraph, G.BindDualValues(nodes...))
	defer vm.Close()
	require.NoError(t, vm.RunAll())
	at := mat.NewDense(n, d, yp.Data())
	total := func() float64 { return floats.Sum(b.LogProbs(at)) }
	for k, nd := range nodes {
		name := fmt.Sprintf("parameter %d", k)
		if k == len(nodes)-1 {
			name = "y"
		}
		gv, err := nd.Grad()
		require.NoError(t, err, name)
		data := ps[k].Data()
		for i, v := range gv.Data().([]float64) {
			require.Falsef(t, math.IsNaN(v) || math.IsInf(v, 0), "%s entry %d: gradient %g", name, i, v)
			const h = 1e-5
			old := data[i]
			set := func(v float64) { data[i] = v; ps[k].Touch() } // Touch: numeric paths may cache weights
			set(old + h)
			up := total()
			set(old - h)
			down := total()
			set(old)
			fd := (up - down) / (2 * h)
			require.InDeltaf(t, fd, v, GradTol*math.Max(1, math.Abs(fd)), "%s entry %d: graph %g, finite differences %g", name, i, v, fd)
		}
	}
}
