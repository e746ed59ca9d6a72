package layers_test

import (
	"math"
	"math/rand"
	"testing"

	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/masks"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/mat"
)

// perturbed returns l with 0.3·N(0,1) noise on every parameter, so no map is the identity.
func perturbed[L layers.Layer](l L, seed int64) L {
	rng := rand.New(rand.NewSource(seed))
	for _, p := range l.Params() {
		for i := range p.Data() {
			p.Data()[i] += 0.3 * rng.NormFloat64()
		}
	}
	return l
}

func gauss(n, d int, seed int64) *mat.Dense {
	rng := rand.New(rand.NewSource(seed))
	x := mat.NewDense(n, d, nil)
	x.Apply(func(_, _ int, _ float64) float64 { return rng.NormFloat64() }, x)
	return x
}

// D blocks of one dimension are the full autoregressive (MADE) layer: the same degrees, masks and
// map, and the block-diagonal Linear of 1×1 blocks is a diagonal scaling.
func TestBlocksOfOneAreMADE(t *testing.T) {
	const d = 5
	ones := []int{1, 1, 1, 1, 1}
	deg := mustBlocks(ones...)
	require.Equal(t, masks.Natural(d), deg)
	s := layers.AffineSettings{Hidden: []int{12, 12}}
	lb, err := layers.NewAffineInjection(deg, s, rand.New(rand.NewSource(3)))
	require.NoError(t, err)
	lm, err := layers.NewAffineInjection(masks.Natural(d), s, rand.New(rand.NewSource(3)))
	require.NoError(t, err)
	perturbed(lb, 1)
	perturbed(lm, 1)
	for k := range lb.Net.Layers {
		require.True(t, mat.Equal(lb.Net.Layers[k].Mask, lm.Net.Layers[k].Mask), "mask %d", k)
	}
	x := gauss(7, d, 2)
	yb, ldb := lb.Transform(x)
	ym, ldm := lm.Transform(x)
	require.True(t, mat.Equal(yb, ym))
	require.Equal(t, ldm, ldb)

	bl, err := layers.NewBlockLinear(deg, rand.New(rand.NewSource(4)))
	require.NoError(t, err)
	perturbed(bl, 5)
	w := bl.Weight()
	for i := 0; i < d; i++ {
		for j := 0; j < d; j++ {
			if i != j {
				require.Zero(t, w.At(i, j), "W[%d][%d]", i, j)
			}
		}
	}
	require.True(t, mat.Equal(bl.Pattern(), identity(d)))
}

func identity(n int) *mat.Dense {
	m := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		m.Set(i, i, 1)
	}
	return m
}

// Two blocks are an affine coupling layer (RealNVP, Dinh et al. 2017): the first block's outputs
// are an affine map with constant scale and shift (from the output biases), the second block's
// scale and shift are an ordinary unmasked MLP of the first block only. The layer's map equals a
// hand-written coupling with the same weights, and ∂(s, t of block 2)/∂x_2 = 0.
func TestTwoBlocksAreCoupling(t *testing.T) {
	const d1, d2 = 3, 4
	const d = d1 + d2
	deg := mustBlocks(d1, d2)
	l, err := layers.NewAffineInjection(deg, layers.AffineSettings{Hidden: []int{10, 10}, Activation: layers.Tanh}, rand.New(rand.NewSource(1)))
	require.NoError(t, err)
	perturbed(l, 2)
	x := gauss(6, d, 3)
	y, ld := l.Transform(x)

	// the hand-written coupling reads the unmasked weights: only the first block's rows of the
	// first map, every hidden unit, and the output columns of the second block
	ws := make([]*mat.Dense, len(l.Net.Layers))
	for k, dn := range l.Net.Layers {
		ws[k] = dn.W.Mat()
	}
	act := func(v float64) float64 { return math.Tanh(v) }
	coupling := func(x []float64) (y []float64, ld float64, st []float64) {
		h := append([]float64(nil), l.Net.Layers[0].B.Data()...)
		for u := range h {
			for j := 0; j < d1; j++ {
				h[u] += x[j] * ws[0].At(j, u)
			}
			h[u] = act(h[u])
		}
		h2 := append([]float64(nil), l.Net.Layers[1].B.Data()...)
		for u := range h2 {
			for v := range h {
				h2[u] += h[v] * ws[1].At(v, u)
			}
			h2[u] = act(h2[u])
		}
		b := l.Net.Layers[2].B.Data()
		raw := append([]float64(nil), b...) // block 1: s, t are the biases alone
		for i := d1; i < d; i++ {
			for _, c := range []int{i, d + i} {
				for v := range h2 {
					raw[c] += h2[v] * ws[2].At(v, c)
				}
			}
		}
		y = make([]float64, d)
		for i := 0; i < d; i++ {
			s := 3 * math.Tanh(raw[i]/3)
			y[i] = x[i]*math.Exp(s) + raw[d+i]
			ld += s
		}
		st = make([]float64, 0, 2*d2)
		for i := d1; i < d; i++ {
			st = append(st, raw[i], raw[d+i])
		}
		return y, ld, st
	}
	n, _ := x.Dims()
	for r := 0; r < n; r++ {
		want, wantLD, _ := coupling(x.RawRowView(r))
		for i := 0; i < d; i++ {
			require.InDelta(t, want[i], y.At(r, i), 1e-12, "row %d output %d", r, i)
		}
		require.InDelta(t, wantLD, ld[r], 1e-12)
	}

	// ∂(raw s, t)/∂x of the layer's own conditioner: block 2 sees only block 1, block 1 nothing
	eff := l.Net.Weights()
	for r := 0; r < n; r++ {
		jac := mat.NewDense(2*d, d, nil)
		fd.Jacobian(jac, func(dst, xr []float64) {
			copy(dst, l.Net.Eval(eff, mat.NewDense(1, d, append([]float64(nil), xr...))).RawRowView(0))
		}, x.RawRowView(r), nil)
		for c := 0; c < 2*d; c++ {
			i := c % d
			for j := 0; j < d; j++ {
				v := jac.At(c, j)
				if i < d1 || j >= d1 {
					require.InDeltaf(t, 0, v, 1e-10, "row %d: ∂raw[%d]/∂x[%d] = %g", r, c, j, v)
				}
			}
		}
	}
	// the second block's parameters are a function of the first block only: changing x_2 keeps them
	_, _, st := coupling(x.RawRowView(0))
	x2 := mat.DenseCopyOf(x)
	for j := d1; j < d; j++ {
		x2.Set(0, j, x2.At(0, j)+1.5)
	}
	_, _, st2 := coupling(x2.RawRowView(0))
	require.Equal(t, st, st2)
}

// The block layer of a "block" stack step, an AffineInjection followed by the block-diagonal
// Linear, has a block-triangular Jacobian with full diagonal blocks, and its log-det is the sum of
// the two parts (also checked by the conformance table, rows block-affine/*).
func TestBlockAffineJacobian(t *testing.T) {
	deg := mustBlocks(2, 3, 2)
	a, err := layers.NewAffineInjection(deg, layers.AffineSettings{Hidden: []int{16, 16}}, rand.New(rand.NewSource(1)))
	require.NoError(t, err)
	bl, err := layers.NewBlockLinear(deg, rand.New(rand.NewSource(2)))
	require.NoError(t, err)
	seq := perturbed(layers.Sequence{a, bl}, 3)
	x := gauss(1, 7, 4)
	jac := mat.NewDense(7, 7, nil)
	fd.Jacobian(jac, func(dst, xr []float64) {
		y, _ := seq.Transform(mat.NewDense(1, 7, append([]float64(nil), xr...)))
		copy(dst, y.RawRowView(0))
	}, x.RawRowView(0), &fd.JacobianSettings{Formula: fd.Central})
	for i := 0; i < 7; i++ {
		for j := 0; j < 7; j++ {
			switch {
			case deg[j] > deg[i]:
				require.InDeltaf(t, 0, jac.At(i, j), 1e-10, "∂y_%d/∂x_%d in a later block", i, j)
			case deg[j] == deg[i]:
				require.Greaterf(t, math.Abs(jac.At(i, j)), 1e-6, "∂y_%d/∂x_%d inside the block", i, j)
			}
		}
	}
	require.True(t, mat.Equal(seq.Pattern(), mat.NewDense(7, 7, []float64{
		1, 1, 0, 0, 0, 0, 0,
		1, 1, 0, 0, 0, 0, 0,
		1, 1, 1, 1, 1, 0, 0,
		1, 1, 1, 1, 1, 0, 0,
		1, 1, 1, 1, 1, 0, 0,
		1, 1, 1, 1, 1, 1, 1,
		1, 1, 1, 1, 1, 1, 1,
	})), "pattern\n%v", mat.Formatted(seq.Pattern()))
}

func TestBlockLinearRefusals(t *testing.T) {
	l := layers.NewLinear(4, rand.New(rand.NewSource(1)))
	require.Error(t, l.SetBlocks(mustBlocks(2, 2))) // a full rotation mixes the blocks
	_, err := layers.NewBlockLinear(masks.Degrees{1, 3}, nil)
	require.Error(t, err)
	bl, err := layers.NewBlockLinear(mustBlocks(2, 2), nil)
	require.NoError(t, err)
	require.True(t, mat.Equal(bl.Weight(), identity(4)))
}
