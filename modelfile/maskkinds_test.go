package modelfile_test

import (
	"fmt"
	"math/rand"
	"testing"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/layers/layertest"
	"github.com/affineflow/flow/modelfile"
	"github.com/affineflow/flow/trainer"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// kindDim is the width every mask kind's Example builds on.
const kindDim = 4

// variant is how a kind is built: its orders and its context inputs.
type variant struct {
	order  string // Spec.Order: "alternate" or "random"
	ctx    int
	spline bool // Spec.Transform: a 5-bin spline on [−2, 2] instead of the affine map
	// inverse: every layer inverted (Spec.Inverse, the IAF direction), for kinds whose layers
	// have a graph inverse
	inverse bool
}

// perturb is the scale of the weight noise: smaller for splines, whose bins would otherwise grow
// too narrow for finite differences, and for inverted layers, whose sequential inverses compound
// the scales of every dimension (log-densities of −10⁶ at 0.3, beyond a 1e-9 comparison).
func (v variant) perturb() float64 {
	if v.spline || v.inverse {
		return 0.1
	}
	return 0.3
}

// newKind builds two steps of kind k from its Example, as distributions.Build returns them.
func newKind(t *testing.T, k distributions.MaskKind, v variant, rng *rand.Rand) *distributions.Flow {
	t.Helper()
	spec := distributions.Spec{Layers: 2, Mask: k.Example, Hidden: []int{16, 16}, Context: v.ctx, Order: v.order, Inverse: v.inverse}
	if v.spline {
		spec.Transform = layers.Spline(5, 2)
	}
	f, err := distributions.Build(kindDim, spec, rng)
	require.NoError(t, err, "building %s", k.Example)
	return f
}

// buildKind is newKind with perturbed weights, so that no map is the identity.
func buildKind(t *testing.T, k distributions.MaskKind, v variant, seed int64) *distributions.Flow {
	t.Helper()
	rng := rand.New(rand.NewSource(seed))
	f := newKind(t, k, v, rng)
	for _, l := range f.Layers {
		layertest.Perturb(l, rng, v.perturb())
	}
	return f
}

// Every registered mask kind, built from its Example through distributions.Build, in alternating
// and random orders and with a context when the kind takes one: a new flow is its base density;
// every layer passes the conformance suite (layertest), also with a spline transform; the
// trainer's graph evaluation equals the
// numeric density and sampling reports the density of what it drew; the model file round-trips to
// the same density; and the independent reference evaluator (reference_test.go) computes that
// density from the JSON alone. A kind that takes no context is refused with one. A new kind (one
// file that calls distributions.RegisterMask) is tested here with nothing else to add.
func TestMaskKinds(t *testing.T) {
	for _, k := range distributions.Kinds() {
		t.Run(k.Name, func(t *testing.T) {
			vs := []variant{{order: "alternate"}, {order: "random"}, {order: "alternate", spline: true}}
			if invertible(k) {
				vs = append(vs, variant{order: "random", inverse: true})
			}
			if k.TakesContext {
				vs = append(vs, variant{order: "alternate", ctx: 2}, variant{order: "random", ctx: 2, spline: true})
				if invertible(k) {
					vs = append(vs, variant{order: "alternate", ctx: 2, inverse: true})
				}
			} else {
				_, err := distributions.Build(kindDim, distributions.Spec{Mask: k.Example, Context: 2}, rand.New(rand.NewSource(1)))
				require.ErrorContains(t, err, "does not take context inputs")
			}
			for _, v := range vs {
				name := fmt.Sprintf("%s/context=%d", v.order, v.ctx)
				if v.spline {
					name += "/spline"
				}
				if v.inverse {
					name += "/inverted"
				}
				t.Run(name, func(t *testing.T) { checkKind(t, k, v) })
			}
		})
	}
}

// invertible tells whether every layer of kind k has a graph inverse (every affine kind but block,
// whose Linear maps have none).
func invertible(k distributions.MaskKind) bool {
	f, err := distributions.Build(kindDim, distributions.Spec{Layers: 2, Mask: k.Example, Hidden: []int{4}}, rand.New(rand.NewSource(1)))
	return err == nil && f.CanSampleGraph() == nil
}

func checkKind(t *testing.T, k distributions.MaskKind, v variant) {
	rng := rand.New(rand.NewSource(2))
	x := data(7, kindDim, rng)
	var c *mat.Dense
	if v.ctx > 0 {
		c = data(7, v.ctx, rng)
	}
	fresh := newKind(t, k, v, rand.New(rand.NewSource(1)))
	if fresh.ContextDim() == 0 {
		require.InDeltaSlice(t, fresh.Base.LogProbs(x), fresh.LogProbs(x), 1e-12, "a new flow is its base density")
	}

	f := buildKind(t, k, v, 1)
	var cases []layertest.Case
	for i := range f.Layers {
		cases = append(cases, layertest.Case{Name: fmt.Sprintf("layer-%d", i), Perturb: v.perturb(),
			New: func(*rand.Rand) (layers.Layer, error) { return buildKind(t, k, v, 1).Layers[i], nil }})
	}
	layertest.Run(t, cases)

	want := f.LogProbsContext(x, c)
	var model trainer.Model = f
	rows := x
	if v.ctx > 0 {
		cf, err := distributions.Conditional(f)
		require.NoError(t, err)
		model, rows = cf, distributions.Concat(x, c)
	}
	ev := trainer.NewEvaluator(model, 16)
	defer ev.Close()
	got, err := ev.LogProbs(rows)
	require.NoError(t, err)
	require.InDeltaSlice(t, want, got, 1e-9, "the trainer's graph evaluation")
	if v.ctx == 0 {
		xs, lp := f.SampleWithLogProb(5, rng)
		require.InDeltaSlice(t, f.LogProbs(xs), lp, 1e-8, "sampling reports the density of what it drew")
	}
	b, err := modelfile.Marshal(f, testMeta())
	require.NoError(t, err)
	g, _, err := modelfile.Unmarshal(b, k.Example+".json")
	require.NoError(t, err)
	require.Equal(t, want, g.LogProbsContext(x, c), "the model file's density")
	ref := refDecode(b)
	for r := range want {
		var cr []float64
		if c != nil {
			cr = c.RawRowView(r)
		}
		require.InDelta(t, want[r], ref.logProbContext(x.RawRowView(r), cr), 1e-9, "reference evaluator, row %d", r)
	}
}
