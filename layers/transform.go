package layers

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/affineflow/flow/graph"
	"github.com/affineflow/flow/internal/spline"
	G "gorgonia.org/gorgonia"
)

// Transform is the element-wise map of an AffineInjection, applied to each x_i with the values
// its conditioner computed from the earlier dimensions. The zero value is the affine map
// y = x·exp(s) + t (2 values per dimension: raw s, t). Bins = K > 0 is a monotone
// rational-quadratic spline of K bins on [−Bound, Bound] with identity tails (Durkan et al.
// 2019, "Neural Spline Flows"; 3K − 1 values per dimension: K width logits, K height logits,
// K − 1 interior derivatives, see internal/spline); all-zero values give the identity.
type Transform struct {
	Bins  int
	Bound float64 // the spline's B; 0: DefaultSplineBound
}

// The spline's defaults (nflows' NSF: 8 bins, tails at ±3) and limits.
const (
	DefaultSplineBins  = 8
	DefaultSplineBound = 3.0
	MaxSplineBins      = 256
)

// Spline returns a K-bin spline transform on [−B, B] (B = 0: DefaultSplineBound).
func Spline(k int, b float64) Transform { return Transform{Bins: k, Bound: b} }

// IsSpline reports whether t is a spline.
func (t Transform) IsSpline() bool { return t.Bins > 0 }

// PerDim returns the number of conditioner values per dimension: 2, or 3K − 1 for a spline.
func (t Transform) PerDim() int {
	if t.IsSpline() {
		return spline.Params(t.Bins)
	}
	return 2
}

// Validate checks the bins and the bound.
func (t Transform) Validate() error {
	if t.Bins < 0 || t.Bins == 1 || t.Bins > MaxSplineBins {
		return fmt.Errorf("layers: a spline of %d bins, want 2 to %d (0: affine; one bin with unit end derivatives is the identity)", t.Bins, MaxSplineBins)
	}
	if t.IsSpline() && !(t.Bound >= 0 && t.Bound <= 1e6) {
		return fmt.Errorf("layers: spline bound %g, want a value in (0, 1e6] (0: %g)", t.Bound, DefaultSplineBound)
	}
	return nil
}

// BoundInEffect returns the spline's B: Bound, or DefaultSplineBound for 0.
func (t Transform) BoundInEffect() float64 {
	if t.Bound == 0 {
		return DefaultSplineBound
	}
	return t.Bound
}

func (t Transform) spline() spline.Spline {
	return spline.Spline{Bins: t.Bins, Bound: t.BoundInEffect()}
}

// String names t as -transform spells it: "affine" or "spline:K,B".
func (t Transform) String() string {
	if !t.IsSpline() {
		return "affine"
	}
	return fmt.Sprintf("spline:%d,%g", t.Bins, t.BoundInEffect())
}

// ParseTransform reads "affine" (or ""), "spline", "spline:K" or "spline:K,B".
func ParseTransform(s string) (Transform, error) {
	if s == "" || s == "affine" {
		return Transform{}, nil
	}
	rest, ok := strings.CutPrefix(s, "spline")
	bad := fmt.Errorf("transform %q: want affine, spline, spline:K or spline:K,B (K bins from 2 to %d, tails beyond ±B; default spline:%d,%g)",
		s, MaxSplineBins, DefaultSplineBins, DefaultSplineBound)
	if !ok || (rest != "" && !strings.HasPrefix(rest, ":")) {
		return Transform{}, bad
	}
	t := Transform{Bins: DefaultSplineBins, Bound: DefaultSplineBound}
	if rest != "" {
		ks, bs, hasB := strings.Cut(rest[1:], ",")
		k, err := strconv.Atoi(ks)
		if err != nil || k < 2 {
			return Transform{}, bad
		}
		t.Bins = k
		if hasB {
			if t.Bound, err = strconv.ParseFloat(bs, 64); err != nil || !(t.Bound > 0) {
				return Transform{}, bad
			}
		}
	}
	if t.Validate() != nil {
		return Transform{}, bad
	}
	return t, nil
}

// node adds the transform of x (N×D) by a MADE's output raw (N×PD, blocks of D columns, or for
// a spline with interleaved each dimension's P values side by side) to g: graph.Affine with the
// clamp C, or graph.Spline.
func (t Transform) node(g *graph.Graph, x, raw *G.Node, clamp float64, interleaved bool) (y, logdet *G.Node) {
	if t.IsSpline() {
		s := t.spline()
		return g.Spline(x, raw, s.Bins, s.Bound, interleaved)
	}
	return g.Affine(x, raw, clamp)
}

// interleave returns the order of a MADE's P·D outputs (blocks of D) that puts each dimension's
// P values side by side: output i·P + p is column p·D + i.
func interleave(d, p int) []int {
	perm := make([]int, d*p)
	for i := range d {
		for k := range p {
			perm[i*p+k] = k*d + i
		}
	}
	return perm
}

// elementwise is the numeric transform of one value with its conditioner values u[0], u[step],
// ... (scratch memory for the spline; the affine map bounds s by the clamp C).
type elementwise struct {
	s     spline.Spline // Bins 0: the affine map
	clamp float64
	sc    spline.Scratch
}

func (t Transform) elementwise(clamp float64) *elementwise {
	return &elementwise{s: t.spline(), clamp: clamp}
}

// forward returns y and log dy/dx at x.
func (e *elementwise) forward(x float64, u []float64, step int) (y, logdet float64) {
	if e.s.Bins > 0 {
		return e.s.Forward(x, u, step, &e.sc)
	}
	s := graph.SoftClampValue(u[0], e.clamp)
	return x*math.Exp(s) + u[step], s
}

// inverse returns x and log dy/dx at x for y.
func (e *elementwise) inverse(y float64, u []float64, step int) (x, logdet float64) {
	if e.s.Bins > 0 {
		return e.s.Inverse(y, u, step, &e.sc)
	}
	s := graph.SoftClampValue(u[0], e.clamp)
	return (y - u[step]) * math.Exp(-s), s
}
