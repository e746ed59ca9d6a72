package modelfile_test

// An independent reference evaluator of affine-injection-flow/v1 files. It reads nothing but the
// JSON (decoded into map[string]any by encoding/json) and computes log p(x) with plain loops,
// straight from the format's definition in doc.go; it uses neither this package's types nor the
// layers package. It panics on a malformed file: it is only ever given files that Load accepts.

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand"
	"testing"

	"github.com/affineflow/flow/modelfile"
	"github.com/stretchr/testify/require"
)

// refModel is a decoded model file.
type refModel struct {
	dim    int
	base   map[string]any
	layers []map[string]any
}

func refDecode(data []byte) refModel {
	var top map[string]any
	if err := json.Unmarshal(data, &top); err != nil {
		panic(err)
	}
	if top["format"] != "affine-injection-flow/v1" {
		panic(fmt.Sprintf("format %v", top["format"]))
	}
	m := refModel{dim: int(refNum(top["dim"])), base: top["base"].(map[string]any)}
	for _, l := range top["layers"].([]any) {
		m.layers = append(m.layers, l.(map[string]any))
	}
	return m
}

// logProb is log p(x) = log base(y_last) + Σ log-dets for one row x (a zero context, if any).
func (m refModel) logProb(x []float64) float64 { return m.logProbContext(x, nil) }

// logProbContext is log p(x | ctx): the context row ctx is appended to the net input of every
// affine_injection layer with "context": C (nil: C zeros).
func (m refModel) logProbContext(x, ctx []float64) float64 {
	if len(x) != m.dim {
		panic("row width")
	}
	total := 0.0
	for _, l := range m.layers {
		var logdet float64
		x, logdet = refLayer(l, x, ctx)
		total += logdet
	}
	return total + refBase(m.base, x)
}

func refLayer(l map[string]any, x, ctx []float64) (y []float64, logdet float64) {
	switch l["type"] {
	case "affine_injection":
		return refAffineInjection(l, x, ctx)
	case "injection":
		return refInjection(l, x, ctx)
	case "inverted":
		return refInverted(l["layer"].(map[string]any), x, ctx)
	case "permutation":
		perm := refVec(l["perm"])
		y = make([]float64, len(x))
		for k := range y {
			y[k] = x[int(perm[k])]
		}
		return y, 0
	case "linear":
		w, b := refMat(l["weight"]), refVec(l["bias"])
		y = make([]float64, len(x))
		for j := range y {
			y[j] = b[j]
			for i := range x {
				y[j] += x[i] * w[i][j]
			}
		}
		return y, refLogAbsDet(w)
	case "bounded":
		lo, hi := refVec(l["lo"]), refVec(l["hi"])
		y = make([]float64, len(x))
		for j, b := range l["bounded"].([]any) {
			y[j] = x[j]
			if b.(bool) {
				u := (x[j] - lo[j]) / (hi[j] - lo[j])
				y[j] = math.Log(u) - math.Log(1-u)
				logdet -= math.Log(hi[j]-lo[j]) + math.Log(u) + math.Log(1-u)
			}
		}
		return y, logdet
	case "half_bounded":
		side, bound := refVec(l["side"]), refVec(l["bound"])
		y = make([]float64, len(x))
		for j := range x {
			y[j] = x[j]
			if side[j] != 0 {
				z := side[j] * (x[j] - bound[j])
				y[j] = math.Log(math.Exp(z) - 1)
				logdet -= math.Log(1 - math.Exp(-z))
			}
		}
		return y, logdet
	case "elementwise_affine":
		shift, ls := refVec(l["shift"]), refVec(l["log_scale"])
		y = make([]float64, len(x))
		for j := range y {
			y[j] = (x[j] - shift[j]) * math.Exp(ls[j])
			logdet += ls[j]
		}
		return y, logdet
	}
	panic(fmt.Sprintf("unknown layer type %v", l["type"]))
}

// refInverted is the inverse of the stored layer F: the u with F(u) = x, found with nothing but
// F's forward, and log-det −log|det ∂F/∂u|. F is triangular in some order with ∂F_i/∂u_i > 0, so
// D sweeps that solve F_i(u) = x_i for u_i by bisection, the others held, each coordinate in
// turn, reach the solution (a coordinate is exact once the ones it depends on are).
func refInverted(inner map[string]any, x, ctx []float64) ([]float64, float64) {
	u := make([]float64, len(x))
	for range len(x) {
		for i := range u {
			lo, hi := -1e4, 1e4
			for hi-lo > 1e-14*max(1, math.Abs(lo), math.Abs(hi)) {
				u[i] = (lo + hi) / 2
				if y, _ := refLayer(inner, u, ctx); y[i] < x[i] {
					lo = u[i]
				} else {
					hi = u[i]
				}
			}
		}
	}
	_, logdet := refLayer(inner, u, ctx)
	return u, -logdet
}

// refAffineInjection: raw = net([x, ctx]) (2D values), s = C·tanh(raw[:D]/C),
// y = x⊙exp(s) + raw[D:]; ctx has "context" values (none when the field is absent).
func refAffineInjection(l map[string]any, x, ctx []float64) ([]float64, float64) {
	d := len(x)
	in := append([]float64(nil), x...)
	if c, ok := l["context"]; ok {
		if ctx == nil {
			ctx = make([]float64, int(refNum(c)))
		}
		if len(ctx) != int(refNum(c)) {
			panic("context width")
		}
		in = append(in, ctx...)
	}
	raw := refNet(l["net"].([]any), in, l["activation"].(string))
	c := refNum(l["scale_clamp"])
	y, logdet := make([]float64, d), 0.0
	for i := range d {
		var ld float64
		if tr, ok := l["transform"].(map[string]any); ok { // dimension i's values: raw[j·D + i]
			u := make([]float64, 3*int(refNum(tr["bins"]))-1)
			for j := range u {
				u[j] = raw[j*d+i]
			}
			y[i], ld = refSpline(tr, x[i], u)
		} else {
			ld = refClamp(raw[i], c)
			y[i] = x[i]*math.Exp(ld) + raw[d+i]
		}
		logdet += ld
	}
	return y, logdet
}

// refSpline is the rational-quadratic spline of a "transform" at x with the values u: identity
// outside [−B, B]; inside, K bins whose widths and heights are 1e-3 + (1 − 1e-3·K)·softmax of
// u[0:K] and u[K:2K] (times 2B), knot derivatives 1 at ±B and 1e-3 + softplus(u[2K+k−1] + c)
// inside, c = log(e^(1−1e-3) − 1); Durkan et al. 2019, eq. 4 and its derivative.
func refSpline(tr map[string]any, x float64, u []float64) (float64, float64) {
	k, b := int(refNum(tr["bins"])), refNum(tr["bound"])
	if x < -b || x > b {
		return x, 0
	}
	knots := func(logits []float64) []float64 {
		z := 0.0
		for _, v := range logits {
			z += math.Exp(v)
		}
		out := []float64{-b}
		acc := 0.0
		for _, v := range logits {
			acc += 1e-3 + (1-1e-3*float64(k))*math.Exp(v)/z
			out = append(out, -b+2*b*acc)
		}
		out[k] = b
		return out
	}
	xs, ys := knots(u[:k]), knots(u[k:2*k])
	ds := []float64{1}
	for j := 1; j < k; j++ {
		ds = append(ds, 1e-3+math.Log(1+math.Exp(u[2*k+j-1]+math.Log(math.Exp(1-1e-3)-1))))
	}
	ds = append(ds, 1)
	j := 0
	for j < k-1 && x >= xs[j+1] {
		j++
	}
	w, h := xs[j+1]-xs[j], ys[j+1]-ys[j]
	s, th := h/w, (x-xs[j])/w
	den := s + (ds[j]+ds[j+1]-2*s)*th*(1-th)
	y := ys[j] + h*(s*th*th+ds[j]*th*(1-th))/den
	dydx := s * s * (ds[j+1]*th*th + 2*s*th*(1-th) + ds[j]*(1-th)*(1-th)) / (den * den)
	return y, math.Log(dydx)
}

// refInjection: for each i, (raw s_i, t_i) = net([m_i ⊙ [x, ctx], embedding[i]]); ctx has
// "context" values (none when the field is absent).
func refInjection(l map[string]any, x, ctx []float64) ([]float64, float64) {
	d := len(x)
	m, emb := refMat(l["mask"]), refMat(l["embedding"])
	c := refNum(l["scale_clamp"])
	xc := append([]float64(nil), x...)
	if nc, ok := l["context"]; ok {
		if ctx == nil {
			ctx = make([]float64, int(refNum(nc)))
		}
		xc = append(xc, ctx...)
	}
	y, logdet := make([]float64, d), 0.0
	for i := range d {
		in := make([]float64, 0, len(xc)+len(emb[i]))
		for j, v := range xc {
			in = append(in, m[i][j]*v)
		}
		in = append(in, emb[i]...)
		out := refNet(l["net"].([]any), in, l["activation"].(string))
		var ld float64
		if tr, ok := l["transform"].(map[string]any); ok { // the net's outputs are the spline's values
			y[i], ld = refSpline(tr, x[i], out)
		} else {
			ld = refClamp(out[0], c)
			y[i] = x[i]*math.Exp(ld) + out[1]
		}
		logdet += ld
	}
	return y, logdet
}

// refNet: h ← act(h·(weight⊙mask) + bias) (plus h when residual) for every entry but the last,
// which is linear. A missing mask means all ones.
func refNet(entries []any, h []float64, act string) []float64 {
	for k, e := range entries {
		entry := e.(map[string]any)
		w, b := refMat(entry["weight"]), refVec(entry["bias"])
		var mask [][]float64
		if mv, ok := entry["mask"]; ok {
			mask = refMat(mv)
		}
		z := make([]float64, len(b))
		for o := range z {
			z[o] = b[o]
			for j := range h {
				wjo := w[j][o]
				if mask != nil {
					wjo *= mask[j][o]
				}
				z[o] += h[j] * wjo
			}
		}
		if k == len(entries)-1 {
			return z
		}
		for o := range z {
			z[o] = refAct(act, z[o])
		}
		if entry["residual"] == true {
			for o := range z {
				z[o] += h[o]
			}
		}
		h = z
	}
	panic("empty net")
}

func refAct(name string, v float64) float64 {
	switch name {
	case "relu":
		return math.Max(0, v)
	case "tanh":
		return math.Tanh(v)
	case "elu":
		if v >= 0 {
			return v
		}
		return math.Exp(v) - 1
	case "sigmoid":
		return 1 / (1 + math.Exp(-v))
	case "softplus":
		return math.Log(1 + math.Exp(v))
	case "leaky_relu":
		if v >= 0 {
			return v
		}
		return 0.01 * v
	}
	panic("unknown activation " + name)
}

// refClamp is s = C·tanh(raw/C), or raw when C = 0.
func refClamp(raw, c float64) float64 {
	if c == 0 {
		return raw
	}
	return c * math.Tanh(raw/c)
}

func refBase(b map[string]any, y []float64) float64 {
	d := float64(len(y))
	switch b["type"] {
	case "standard_normal":
		s := 0.0
		for _, v := range y {
			s += v * v
		}
		return -0.5*s - 0.5*d*math.Log(2*math.Pi)
	case "diagonal_normal":
		mean, ls := refVec(b["mean"]), refVec(b["log_std"])
		s := 0.0
		for j, v := range y {
			z := (v - mean[j]) / math.Exp(ls[j])
			s += -0.5*z*z - ls[j]
		}
		return s - 0.5*d*math.Log(2*math.Pi)
	case "student_t":
		nu := b["nu"].(float64)
		s := 0.0
		for _, v := range y {
			s += v * v
		}
		a, _ := math.Lgamma((nu + d) / 2)
		c, _ := math.Lgamma(nu / 2)
		return a - c - d/2*math.Log(nu*math.Pi) - (nu+d)/2*math.Log(1+s/nu)
	case "mixture":
		// log Σ_k softmax(logits)_k N(y; means[k], diag(exp(2 log_stds[k]))), summed directly
		logits, means, ls := refVec(b["logits"]), refMat(b["means"]), refMat(b["log_stds"])
		z, p := 0.0, 0.0
		for _, l := range logits {
			z += math.Exp(l)
		}
		for k := range logits {
			lk := math.Log(math.Exp(logits[k])/z) - d/2*math.Log(2*math.Pi)
			for j, v := range y {
				u := (v - means[k][j]) / math.Exp(ls[k][j])
				lk += -u*u/2 - ls[k][j]
			}
			p += math.Exp(lk)
		}
		return math.Log(p)
	case "made_mixture":
		// Π_i Σ_k softmax_k(raw[k·D+i]) N(y_i; raw[(K+k)·D+i], exp(C·tanh(raw[(2K+k)·D+i]/C))²),
		// raw = net(y): the density of each dimension summed directly
		k, c := int(refNum(b["components"])), refNum(b["scale_clamp"])
		raw := refNet(b["net"].([]any), y, b["activation"].(string))
		n, lp := len(y), 0.0
		for i, v := range y {
			z, p := 0.0, 0.0
			for m := range k {
				z += math.Exp(raw[m*n+i])
			}
			for m := range k {
				sigma := math.Exp(refClamp(raw[(2*k+m)*n+i], c))
				u := (v - raw[(k+m)*n+i]) / sigma
				p += math.Exp(raw[m*n+i]) / z * math.Exp(-u*u/2) / (sigma * math.Sqrt(2*math.Pi))
			}
			lp += math.Log(p)
		}
		return lp
	}
	panic(fmt.Sprintf("unknown base type %v", b["type"]))
}

// refLogAbsDet is log|det w| by Gaussian elimination with partial pivoting.
func refLogAbsDet(w [][]float64) float64 {
	n := len(w)
	a := make([][]float64, n)
	for i := range a {
		a[i] = append([]float64(nil), w[i]...)
	}
	logdet := 0.0
	for col := range n {
		p := col
		for r := col + 1; r < n; r++ {
			if math.Abs(a[r][col]) > math.Abs(a[p][col]) {
				p = r
			}
		}
		a[col], a[p] = a[p], a[col]
		logdet += math.Log(math.Abs(a[col][col]))
		for r := col + 1; r < n; r++ {
			f := a[r][col] / a[col][col]
			for k := col; k < n; k++ {
				a[r][k] -= f * a[col][k]
			}
		}
	}
	return logdet
}

func refNum(v any) float64 { return v.(float64) }

func refVec(v any) []float64 {
	out := []float64{}
	for _, x := range v.([]any) {
		out = append(out, refNum(x))
	}
	return out
}

func refMat(v any) [][]float64 {
	out := [][]float64{}
	for _, row := range v.([]any) {
		out = append(out, refVec(row))
	}
	return out
}

// TestReferenceEvaluator: the reference reading only the JSON agrees with Flow.LogProbs for every
// layer kind, mask kind, activation and base.
func TestReferenceEvaluator(t *testing.T) {
	for i, c := range flowCases() {
		t.Run(c.name, func(t *testing.T) {
			f := c.build(t, int64(200+i))
			b, err := modelfile.Marshal(f, testMeta())
			require.NoError(t, err)
			ref := refDecode(b)
			x := data(11, c.dim, rand.New(rand.NewSource(int64(i))))
			want := f.LogProbs(x)
			for r := range want {
				require.InDelta(t, want[r], ref.logProb(x.RawRowView(r)), 1e-9, "row %d", r)
			}
		})
	}
}
