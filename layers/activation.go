package layers

import (
	"fmt"
	"math"

	"github.com/affineflow/flow/graph"
	"github.com/affineflow/flow/internal/vmath"
	G "gorgonia.org/gorgonia"
)

// Activation names a hidden-unit nonlinearity. The zero value is ReLU.
type Activation string

// The activations a conditioner may use; the strings are those of the model file.
const (
	ReLU      Activation = "relu"
	Tanh      Activation = "tanh"
	ELU       Activation = "elu"
	Sigmoid   Activation = "sigmoid"
	Softplus  Activation = "softplus"
	LeakyReLU Activation = "leaky_relu" // slope 0.01 for x < 0
)

// Activations lists every activation, in a fixed order.
var Activations = []Activation{ReLU, Tanh, ELU, Sigmoid, Softplus, LeakyReLU}

const leakySlope = 0.01

// ParseActivation returns the activation named s ("" means ReLU).
func ParseActivation(s string) (Activation, error) {
	if s == "" {
		return ReLU, nil
	}
	for _, a := range Activations {
		if string(a) == s {
			return a, nil
		}
	}
	return "", fmt.Errorf("layers: unknown activation %q (known: relu, tanh, elu, sigmoid, softplus, leaky_relu)", s)
}

func (a Activation) orDefault() Activation {
	if a == "" {
		return ReLU
	}
	return a
}

// Rectifies reports whether a is ReLU (graph.Rectifier: the fused dense map then adds its bias
// and rectifies in one pass).
func (a Activation) Rectifies() bool { return a.orDefault() == ReLU }

// Node applies the activation to a graph node.
func (a Activation) Node(x *G.Node) *G.Node {
	switch a.orDefault() {
	case ReLU:
		return graph.ReLU(x)
	case Tanh:
		return G.Must(G.Tanh(x))
	case Sigmoid:
		return G.Must(G.Sigmoid(x))
	case Softplus:
		return G.Must(G.Softplus(x))
	case LeakyReLU:
		return G.Must(G.LeakyRelu(x, leakySlope))
	case ELU:
		// elu(x) = relu(x) + exp(-relu(-x)) - 1
		pos := G.Must(G.Rectify(x))
		negPart := G.Must(G.Rectify(G.Must(G.Neg(x))))
		e := G.Must(G.Exp(G.Must(G.Neg(negPart))))
		return G.Must(G.Sub(G.Must(G.Add(pos, e)), graph.ScalarLike(x, 1)))
	}
	panic(fmt.Sprintf("layers: unknown activation %q", string(a)))
}

// Apply applies the activation to every element of v in place.
func (a Activation) Apply(v []float64) { applyTo(a, v) }

// Apply32 is Apply in float32 (the activation computed in float64, rounded once).
func (a Activation) Apply32(v []float32) { applyTo(a, v) }

// Grad sets dst[i] = g[i]·act'(x_i) given out[i] = act(x_i) (the fused dense map's backward
// pass): the derivative written in terms of the output, so the pre-activation need not be kept;
// dst may be g.
func (a Activation) Grad(out, g, dst []float64) { gradTo(a, out, g, dst) }

// Grad32 is Grad in float32.
func (a Activation) Grad32(out, g, dst []float32) { gradTo(a, out, g, dst) }

func applyTo[T graph.Float](a Activation, v []T) {
	switch a.orDefault() {
	case ReLU:
		// relu(x) = max(x, 0), NaN kept (a diverging model stays visible), +0 for −0: masks
		// a vector at a time, no branch (signs are random, a branch would mispredict half the time)
		vmath.ReLU(v, v)
	case Tanh:
		inFloat64(v, func(w []float64) { vmath.Tanh(w, w) }) // math.Tanh's bits, four at a time
	case Sigmoid:
		inFloat64(v, func(w []float64) { // 1/(1 + exp(−x)), exp four at a time
			for i, x := range w {
				w[i] = -x
			}
			vmath.Exp(w, w)
			for i, e := range w {
				w[i] = 1 / (1 + e)
			}
		})
	case Softplus:
		for i, x := range v {
			v[i] = T(softplus(float64(x)))
		}
	case LeakyReLU:
		for i, x := range v {
			if x < 0 {
				v[i] = leakySlope * x
			}
		}
	case ELU:
		for i, x := range v {
			if x < 0 {
				v[i] = T(math.Expm1(float64(x)))
			}
		}
	default:
		panic(fmt.Sprintf("layers: unknown activation %q", string(a)))
	}
}

// inFloat64 applies f, which works in place on float64 values, to v: directly for float64, through a
// float64 buffer of up to 512 values at a time for float32 (so a float32 activation is the float64
// one rounded once, as before).
func inFloat64[T graph.Float](v []T, f func([]float64)) {
	if v64, ok := any(v).([]float64); ok {
		f(v64)
		return
	}
	var buf [512]float64
	for len(v) > 0 {
		w := buf[:min(len(v), len(buf))]
		for i := range w {
			w[i] = float64(v[i])
		}
		f(w)
		for i, x := range w {
			v[i] = T(x)
		}
		v = v[len(w):]
	}
}

func gradTo[T graph.Float](a Activation, out, g, dst []T) {
	g, dst = g[:len(out)], dst[:len(out)]
	switch a.orDefault() {
	case ReLU:
		vmath.ReLUGradTo(dst, g, out) // graph.ReLUGradValue's rule; relu(x) > 0 exactly when x > 0
	case Tanh:
		for i, v := range out {
			dst[i] = g[i] * (1 - v*v)
		}
	case Sigmoid:
		for i, v := range out {
			dst[i] = g[i] * (v * (1 - v))
		}
	case Softplus:
		// σ(x) = 1 − exp(−softplus(x))
		for i, v := range out {
			dst[i] = g[i] * T(-math.Expm1(-float64(v)))
		}
	case LeakyReLU:
		for i, v := range out {
			dst[i] = g[i]
			if v < 0 {
				dst[i] *= leakySlope
			}
		}
	case ELU:
		// elu'(x) = exp(x) = elu(x) + 1 for x < 0
		for i, v := range out {
			dst[i] = g[i]
			if v < 0 {
				dst[i] *= v + 1
			}
		}
	default:
		panic(fmt.Sprintf("layers: unknown activation %q", string(a)))
	}
}

// softplus(x) = log(1 + exp(x)), computed without overflow.
func softplus(x float64) float64 {
	if x > 30 {
		return x
	}
	return math.Log1p(math.Exp(x))
}
