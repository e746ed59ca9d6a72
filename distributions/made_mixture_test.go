package distributions_test

import (
	"math"
	"math/rand"
	"testing"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/distributions/basetest"
	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/masks"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// MADE MoG passes the base suite against an oracle that evaluates the net by plain loops, sums
// the mixtures with distuv.Normal, and integrates its own density on a grid for the moments.
func TestMADEMixtureBase(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	b, err := distributions.NewMADEMixture(masks.Degrees{2, 1}, 3,
		layers.AffineSettings{Hidden: []int{8, 8}, Activation: layers.Tanh, ScaleClamp: 1.5}, rng)
	require.NoError(t, err)
	for _, dn := range b.Net.Layers { // spread the components so that the mixtures are far from Gaussian
		w := dn.W.Data()
		for i := range w {
			w[i] *= 3
		}
		dn.W.Touch()
	}
	o := newMADEMixtureOracle(b)
	require.InDelta(t, 1, o.mass, 1e-6, "the density integrates to 1")
	basetest.Run(t, []basetest.Case{{Name: "made-mog/K=3", Base: b, Oracle: o}})
}

func TestMADEMixtureRefuses(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	_, err := distributions.NewMADEMixture(masks.Degrees{1, 2}, 0, layers.AffineSettings{}, rng)
	require.ErrorContains(t, err, "0 components")
	_, err = distributions.NewMADEMixture(masks.Degrees{1, 3}, 2, layers.AffineSettings{}, rng)
	require.Error(t, err)
	b, err := distributions.NewMADEMixture(masks.Degrees{1, 2, 3}, 2, layers.AffineSettings{Hidden: []int{4}}, rng)
	require.NoError(t, err)
	b.Net.Layers[0].Mask.Set(2, 0, 1) // input 2 (degree 3) reaches a hidden unit of degree 1
	b.Net.Layers[0].W.Touch()
	require.ErrorContains(t, b.Validate(), "sees input 2")
}

// madeMixtureOracle is an independent evaluation of a MADE MoG: the net by plain loops over the
// masked weights, each conditional as Σ_k π_k distuv.Normal{μ_k, σ_k}.Prob; its mean and
// covariance are sums over a midpoint grid (D = 2) of its own density.
type madeMixtureOracle struct {
	b          *distributions.MADEMixture
	mass       float64
	mean       []float64
	cov        *mat.SymDense
	weights    [][][]float64
	biases     [][]float64
	activation layers.Activation
}

func newMADEMixtureOracle(b *distributions.MADEMixture) *madeMixtureOracle {
	o := &madeMixtureOracle{b: b, activation: b.Net.Act}
	for _, dn := range b.Net.Layers {
		w := dn.W.Mat()
		r, c := w.Dims()
		rows := make([][]float64, r)
		for i := range r {
			rows[i] = make([]float64, c)
			for j := range c {
				rows[i][j] = w.At(i, j) * dn.Mask.At(i, j)
			}
		}
		o.weights = append(o.weights, rows)
		o.biases = append(o.biases, append([]float64(nil), dn.B.Data()...))
	}
	const lim, h = 15.0, 0.04
	var sum, sx, sy, sxx, sxy, syy float64
	for x := -lim + h/2; x < lim; x += h {
		for y := -lim + h/2; y < lim; y += h {
			p := math.Exp(o.LogProb([]float64{x, y})) * h * h
			sum += p
			sx, sy = sx+p*x, sy+p*y
			sxx, sxy, syy = sxx+p*x*x, sxy+p*x*y, syy+p*y*y
		}
	}
	o.mass = sum
	o.mean = []float64{sx / sum, sy / sum}
	o.cov = mat.NewSymDense(2, []float64{sxx/sum - o.mean[0]*o.mean[0], sxy/sum - o.mean[0]*o.mean[1],
		0, syy/sum - o.mean[1]*o.mean[1]})
	return o
}

func (o *madeMixtureOracle) net(y []float64) []float64 {
	h := y
	for k, w := range o.weights {
		z := append([]float64(nil), o.biases[k]...)
		for j, hj := range h {
			for c := range z {
				z[c] += hj * w[j][c]
			}
		}
		if k < len(o.weights)-1 {
			for c := range z {
				z[c] = math.Tanh(z[c])
			}
		}
		h = z
	}
	return h
}

func (o *madeMixtureOracle) LogProb(y []float64) float64 {
	d, k := len(y), o.b.K
	raw := o.net(y)
	lp := 0.0
	for i := range d {
		z, p := 0.0, 0.0
		for c := range k {
			z += math.Exp(raw[c*d+i])
		}
		for c := range k {
			sigma := math.Exp(o.b.Clamp * math.Tanh(raw[(2*k+c)*d+i]/o.b.Clamp))
			p += math.Exp(raw[c*d+i]) / z * distuv.Normal{Mu: raw[(k+c)*d+i], Sigma: sigma}.Prob(y[i])
		}
		lp += math.Log(p)
	}
	return lp
}

func (o *madeMixtureOracle) Mean(dst []float64) []float64 { return append(dst[:0], o.mean...) }

func (o *madeMixtureOracle) CovarianceMatrix(dst *mat.SymDense) {
	dst.ReuseAsSym(2)
	dst.CopySym(o.cov)
}
