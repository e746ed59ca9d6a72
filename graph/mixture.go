package graph

import (
	"errors"
	"fmt"
	"math"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// MixtureLogProb returns the log-density per row of an autoregressive mixture of K Gaussians per
// dimension (MADE MoG) at y (N×D), its parameters in raw (N×3KD, blocks of D columns: the logits
// of components 0..K-1, their means, their raw log standard deviations), C = clamp (<= 0: none):
//
//	log p(y_r) = Σ_i [LSE_k(ℓ_ik − s_ik − ½ z_ik²) − LSE_k ℓ_ik] − (D/2) log 2π,
//	s_ik = C·tanh(raw_ik/C),  z_ik = (y_i − μ_ik)·exp(−s_ik),
//
// as one fused node whose backward node recomputes the responsibilities γ = softmax_k(ℓ − s − ½z²)
// and weights π = softmax_k(ℓ):
//
//	∂/∂ℓ_ik = γ_ik − π_ik,  ∂/∂μ_ik = γ_ik z_ik e^{−s_ik},  ∂/∂s_ik = γ_ik (z_ik² − 1),
//	∂/∂y_i = −Σ_k γ_ik z_ik e^{−s_ik}  (skipped when y is a data input of g),
//
// times the row's incoming gradient (and ∂s/∂raw = 1 − (s/C)²). The graph of gorgonia's own ops
// slices raw into 3K blocks, whose gradients are 3K full-size tensors summed; this node writes one.
func (g *Graph) MixtureLogProb(y, raw *G.Node, k int, clamp float64) *G.Node {
	if isFloat32(y) {
		return mixtureLogProb[float32](g, y, raw, k, clamp)
	}
	return mixtureLogProb[float64](g, y, raw, k, clamp)
}

func mixtureLogProb[T Float](g *Graph, y, raw *G.Node, k int, clamp float64) *G.Node {
	st := &mixState[T]{k: k, clamp: math.Max(clamp, 0)}
	return G.Must(G.ApplyOp(mixOp[T]{opBase: newOpBase("MixtureLogProb"), st: st, yGrad: !g.noGrad[y]}, y, raw))
}

// mixState is shared by the forward and backward ops of one mixture.
type mixState[T Float] struct {
	k     int
	clamp float64
	out   *tensor.Dense // N
	gr    *tensor.Dense // ∂L/∂raw, N×3KD
	gy    *tensor.Dense // ∂L/∂y, N×D
	w     *MixtureScratch
}

// MixtureScratch is the working memory of one value of a mixture (MixtureLogProb,
// MixtureLogDensity): the K joint logits a_k = ℓ_k − s_k − ½z_k², the K weight logits ℓ_k, and
// the z_k and e^{−s_k}.
type MixtureScratch struct{ a, l, z, e []float64 }

// NewMixtureScratch returns the scratch of a mixture of k components.
func NewMixtureScratch(k int) *MixtureScratch {
	return &MixtureScratch{a: make([]float64, k), l: make([]float64, k), z: make([]float64, k), e: make([]float64, k)}
}

// mixtureAt fills w for dimension i of one row's parameters raw (3KD values: blocks of D columns,
// logits, means, raw log-stds) at the value v, and returns the log-sum-exps of the joint and of
// the weight logits: log p(y_i = v | ·) = lseA − lseL − ½ log 2π.
func mixtureAt[T Float](raw []T, i, d int, v, clamp float64, w *MixtureScratch) (lseA, lseL float64) {
	k := len(w.a)
	ma, ml := math.Inf(-1), math.Inf(-1)
	for m := range k {
		s := SoftClampValue(float64(raw[(2*k+m)*d+i]), clamp)
		w.e[m] = math.Exp(-s)
		w.z[m] = (v - float64(raw[(k+m)*d+i])) * w.e[m]
		w.l[m] = float64(raw[m*d+i])
		w.a[m] = w.l[m] - s - 0.5*w.z[m]*w.z[m]
		ma, ml = math.Max(ma, w.a[m]), math.Max(ml, w.l[m])
	}
	sa, sl := 0.0, 0.0
	for m := range k {
		sa += math.Exp(w.a[m] - ma)
		sl += math.Exp(w.l[m] - ml)
	}
	return ma + math.Log(sa), ml + math.Log(sl)
}

// MixtureLogDensity is the numeric twin of MixtureLogProb for one value: log p(y_i = v | ·) of
// dimension i given one row's parameters raw (3KD values, as MixtureLogProb's), with w from
// NewMixtureScratch(K).
func MixtureLogDensity(raw []float64, i, d int, v, clamp float64, w *MixtureScratch) float64 {
	lseA, lseL := mixtureAt(raw, i, d, v, clamp, w)
	return lseA - lseL - 0.5*math.Log(2*math.Pi)
}

type (
	// mixOp(y, raw) = log p per row.
	mixOp[T Float] struct {
		opBase
		st    *mixState[T]
		yGrad bool
	}
	// mixBackOp(y, raw, ∂L/∂out) = ∂L/∂raw; it also fills ∂L/∂y.
	mixBackOp[T Float] struct {
		opBase
		st    *mixState[T]
		yGrad bool
	}
)

func (mixOp[T]) Arity() int     { return 2 }
func (mixBackOp[T]) Arity() int { return 3 }

func (mixOp[T]) Type() hm.Type     { return hm.NewFnType(matType, matType, vecType) }
func (mixBackOp[T]) Type() hm.Type { return hm.NewFnType(matType, matType, vecType, matType) }

func (o mixOp[T]) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	y, raw, err := twoShapes(in)
	if err != nil {
		return nil, err
	}
	if y[0] != raw[0] || 3*o.st.k*y[1] != raw[1] {
		return nil, fmt.Errorf("graph: a mixture of %d components at %v given parameters of %v", o.st.k, y, raw)
	}
	return tensor.Shape{y[0]}, nil
}

func (mixBackOp[T]) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, ok := in[1].(tensor.Shape)
	if !ok || len(s) != 2 {
		return nil, errors.New("graph: mixture backward needs the parameter matrix")
	}
	return s.Clone(), nil
}

// each calls f for every row r and dimension i with the log-sum-exps of mixtureAt, its scratch
// filled (st.w).
func (st *mixState[T]) each(yd, rd []T, n, d int, f func(r, i int, lseA, lseL float64)) {
	k := st.k
	if st.w == nil {
		st.w = NewMixtureScratch(k)
	}
	for r := range n {
		raw := rd[r*3*k*d : (r+1)*3*k*d]
		for i := range d {
			lseA, lseL := mixtureAt(raw, i, d, float64(yd[r*d+i]), st.clamp, st.w)
			f(r, i, lseA, lseL)
		}
	}
}

func (o mixOp[T]) Do(in ...G.Value) (G.Value, error) {
	yd, n, d, err := matrixData[T](in[0], "mixture point")
	if err != nil {
		return nil, err
	}
	rd, err := vectorData[T](in[1], 3*o.st.k*n*d, "mixture parameters")
	if err != nil {
		return nil, err
	}
	out := data[T](buffer[T](&o.st.out, n, -1))
	sums := make([]float64, n)
	o.st.each(yd, rd, n, d, func(r, _ int, lseA, lseL float64) { sums[r] += lseA - lseL })
	half := 0.5 * float64(d) * math.Log(2*math.Pi)
	for r, v := range sums {
		out[r] = T(v - half)
	}
	return o.st.out, nil
}

func (o mixOp[T]) DiffWRT(int) []bool { return []bool{o.yGrad, true} }

func (o mixOp[T]) SymDiff(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	st := o.st
	b, err := G.ApplyOp(mixBackOp[T]{opBase: newOpBase("MixtureLogProbGrad"), st: st, yGrad: o.yGrad}, in[0], in[1], grad)
	if err != nil {
		return nil, err
	}
	gy, err := pick(o.yGrad, "MixtureLogProbGradY", in[0].Shape().Clone(), b, func() *tensor.Dense { return st.gy })
	return G.Nodes{gy, b}, err
}

func (o mixBackOp[T]) Do(in ...G.Value) (G.Value, error) {
	st := o.st
	yd, n, d, err := matrixData[T](in[0], "mixture point")
	if err != nil {
		return nil, err
	}
	k := st.k
	rd, err := vectorData[T](in[1], 3*k*n*d, "mixture parameters")
	if err != nil {
		return nil, err
	}
	gout, err := vectorData[T](in[2], n, "mixture log-density gradient")
	if err != nil {
		return nil, err
	}
	gr := data[T](buffer[T](&st.gr, n, 3*k*d))
	var gy []T
	if o.yGrad {
		gy = data[T](buffer[T](&st.gy, n, d))
	}
	c := st.clamp
	st.each(yd, rd, n, d, func(r, i int, lseA, lseL float64) {
		g, row, w := float64(gout[r]), gr[r*3*k*d:(r+1)*3*k*d], st.w
		var dy float64
		for m := range k {
			gamma := math.Exp(w.a[m] - lseA)
			row[m*d+i] = T(g * (gamma - math.Exp(w.l[m]-lseL)))
			dmu := gamma * w.z[m] * w.e[m]
			row[(k+m)*d+i] = T(g * dmu)
			ds := g * gamma * (w.z[m]*w.z[m] - 1)
			if c > 0 {
				q := SoftClampValue(float64(rd[r*3*k*d+(2*k+m)*d+i]), c) / c
				ds *= 1 - q*q
			}
			row[(2*k+m)*d+i] = T(ds)
			dy -= dmu
		}
		if gy != nil {
			gy[r*d+i] = T(g * dy)
		}
	})
	return st.gr, nil
}

func (mixBackOp[T]) DiffWRT(n int) []bool { return make([]bool, n) }

func (o mixBackOp[T]) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, fmt.Errorf("graph: %s has no second derivative", o.name)
}
