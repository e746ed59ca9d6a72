package modelfile_test

import (
	"fmt"
	"math/rand"
	"testing"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/layers/layertest"
	"github.com/affineflow/flow/modelfile"
	"github.com/stretchr/testify/require"
)

// conditionalFlow is a D=3 flow with 2 context inputs: block layers (with their block-diagonal
// Linear) and ActNorm between them.
func conditionalFlow(t testing.TB) *distributions.Flow {
	return conditionalFlowOf(t, distributions.Spec{Layers: 3, Mask: "block:1,2", Hidden: []int{6, 6}, Context: 2,
		Between: "actnorm", Residual: true, Activation: layers.Softplus})
}

// contextSpecs are conditional flows (D = 3, C = 2) of the MADE and injection conditioners; the
// adjacencies give column 3 the context parent 4 (the first context input) and column 1 the
// parent 5, column 2 none.
var contextSpecs = []distributions.Spec{
	{Layers: 3, Mask: "block:1,2", Hidden: []int{6, 6}, Context: 2, Between: "actnorm", Residual: true, Activation: layers.Softplus},
	{Layers: 2, Mask: "injection", Hidden: []int{6}, Context: 2, Between: "actnorm"},
	{Layers: 2, Mask: "soft", Hidden: []int{6}, Context: 2},
	{Layers: 2, Mask: "adjacency:1>2,4>3,5>1", Hidden: []int{6}, Context: 2},
	{Layers: 2, Mask: "adjacency-soft:1>2,2>3,4>3,5>1", Hidden: []int{6}, Context: 2},
	{Layers: 2, Mask: "adjacency-made:1>2,4>3,5>1", Hidden: []int{6, 6}, Context: 2},
}

func conditionalFlowOf(t testing.TB, spec distributions.Spec) *distributions.Flow {
	t.Helper()
	rng := rand.New(rand.NewSource(4))
	f, err := distributions.Build(3, spec, rng)
	require.NoError(t, err)
	for _, l := range f.Layers {
		layertest.Perturb(l, rng, 0.3)
	}
	return f
}

// Every conditional layer passes the conformance suite at a context, the context Jacobian within
// the layer's context pattern (an adjacency's context edges).
func TestContextLayers(t *testing.T) {
	for _, spec := range contextSpecs[1:] {
		var cases []layertest.Case
		for k, l := range conditionalFlowOf(t, spec).Layers {
			if layers.ContextDim(l) > 0 {
				cases = append(cases, layertest.Case{Name: fmt.Sprintf("%s/%d", spec.Mask, k),
					New: func(*rand.Rand) (layers.Layer, error) { return l, nil }, Rows: 16})
			}
		}
		require.NotEmpty(t, cases, spec.Mask)
		layertest.Run(t, cases)
	}
}

// A conditional model's file holds "context": C in its conditional layers; it reloads with the
// same conditional density, and the reference evaluator (JSON only) agrees at any context.
func TestContextRoundTripAndReference(t *testing.T) {
	for _, spec := range contextSpecs {
		t.Run(spec.Mask, func(t *testing.T) { checkContextRoundTrip(t, conditionalFlowOf(t, spec)) })
	}
}

func checkContextRoundTrip(t *testing.T, f *distributions.Flow) {
	b, err := modelfile.Marshal(f, modelfile.Meta{"columns": []string{"a", "b", "c"}, "context": []string{"u", "v"}})
	require.NoError(t, err)
	require.Contains(t, string(b), `"context":2`)
	g, meta, err := modelfile.Unmarshal(b, "cond.json")
	require.NoError(t, err)
	require.Equal(t, 2, g.ContextDim())
	cols, ok := meta.Strings("context")
	require.True(t, ok)
	require.Equal(t, []string{"u", "v"}, cols)
	sameStructure(t, f, g)

	rng := rand.New(rand.NewSource(8))
	x, ctx := data(7, 3, rng), data(7, 2, rng)
	want, got := f.LogProbsContext(x, ctx), g.LogProbsContext(x, ctx)
	require.Equal(t, want, got)
	ref := refDecode(b)
	for r := range want {
		require.InDelta(t, want[r], ref.logProbContext(x.RawRowView(r), ctx.RawRowView(r)), 1e-9, "row %d", r)
	}
	b2, err := modelfile.Marshal(g, meta)
	require.NoError(t, err)
	require.Equal(t, string(b), string(b2))
}

func TestRefuseContextAndBlocks(t *testing.T) {
	f := conditionalFlow(t)
	// layers: 0 affine_injection, 1 linear (blocks), 2 actnorm, 3 affine_injection, ...
	cases := []refusal{
		{"context negative", func(m map[string]any) { layerAt(m, 0)["context"] = -1 },
			"layers[0] (affine_injection): context is -1, want >= 0"},
		{"context missing", func(m map[string]any) { delKey(layerAt(m, 0), "context") },
			"layers[0] (affine_injection): net[0].weight is 5×6, want 3×6"},
		{"context differs between layers", func(m map[string]any) {
			l := layerAt(m, 3)
			l["context"] = 1.0
			for _, key := range []string{"weight", "mask"} {
				netAt(m, 3, 0)[key] = dropLast(rowsAt(netAt(m, 3, 0)[key]))
			}
		}, "takes 1 context inputs, another layer 2"},
		{"blocks not block numbers", func(m map[string]any) { layerAt(m, 1)["blocks"] = []any{1, 3, 3} },
			"layers[1] (linear): blocks: "},
		{"weight outside the blocks", func(m map[string]any) {
			l := layerAt(m, 1)
			delKey(l, "lu")
			rowAt(l["weight"], 0)[1] = 0.5
		}, "layers[1] (linear): blocks [1 2 2]: "},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := modelfile.Unmarshal(edited(t, f, c.edit), "model.json")
			require.ErrorContains(t, err, c.want)
		})
	}
}
