package modelfile_test

import (
	"math"
	"math/rand"
	"reflect"
	"testing"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/graph"
	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/masks"
	"github.com/affineflow/flow/modelfile"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

func TestRoundTrip(t *testing.T) {
	for i, c := range flowCases() {
		t.Run(c.name, func(t *testing.T) {
			f := c.build(t, int64(100+i))
			b1, err := modelfile.Marshal(f, testMeta())
			require.NoError(t, err)
			again, err := modelfile.Marshal(f, testMeta())
			require.NoError(t, err)
			require.Equal(t, string(b1), string(again), "Marshal is not deterministic")

			g, meta, err := modelfile.Unmarshal(b1, c.name+".json")
			require.NoError(t, err)
			x := data(9, c.dim, rand.New(rand.NewSource(int64(i))))
			want, got := f.LogProbs(x), g.LogProbs(x)
			for r := range want {
				require.False(t, math.IsNaN(want[r]) || math.IsInf(want[r], 0), "row %d: log p = %g", r, want[r])
				require.InDelta(t, want[r], got[r], 1e-12, "row %d", r)
			}
			b2, err := modelfile.Marshal(g, meta)
			require.NoError(t, err)
			require.Equal(t, string(b1), string(b2), "Marshal(Unmarshal(b)) differs from b")
			sameStructure(t, f, g)
		})
	}
}

// sameStructure checks that g has f's layer types, settings and parameter shapes, so that a
// reloaded model trains like the saved one.
func sameStructure(t *testing.T, f, g *distributions.Flow) {
	t.Helper()
	require.Equal(t, reflect.TypeOf(f.Base), reflect.TypeOf(g.Base))
	require.Len(t, g.Layers, len(f.Layers))
	for k, l := range f.Layers {
		require.IsType(t, l, g.Layers[k], "layer %d", k)
		switch l := l.(type) {
		case *layers.AffineInjection:
			m := g.Layers[k].(*layers.AffineInjection)
			assert.Equal(t, l.Order, m.Order)
			assert.Equal(t, l.Clamp, m.Clamp)
			assert.Equal(t, l.Net.Act, m.Net.Act)
			assert.Equal(t, l.Context, m.Context)
			for j, dn := range l.Net.Layers {
				assert.Equal(t, dn.Residual, m.Net.Layers[j].Residual)
				assert.True(t, mat.Equal(dn.Mask, m.Net.Layers[j].Mask))
			}
		case *layers.Injection:
			m := g.Layers[k].(*layers.Injection)
			assert.Equal(t, l.Order, m.Order)
			assert.Equal(t, l.Clamp, m.Clamp)
			assert.Equal(t, l.Net.Act, m.Net.Act)
			assert.True(t, mat.Equal(l.Mask, m.Mask))
		case *layers.ElementwiseAffine:
			assert.Equal(t, l.Frozen, g.Layers[k].(*layers.ElementwiseAffine).Frozen)
		case *layers.Linear:
			assert.True(t, mat.Equal(l.Weight(), g.Layers[k].(*layers.Linear).Weight()))
			assert.Equal(t, l.Blocks, g.Layers[k].(*layers.Linear).Blocks)
		}
	}
	fp, gp := f.Params(), g.Params()
	require.Len(t, gp, len(fp))
	for i := range fp {
		assert.Equal(t, fp[i].Shape(), gp[i].Shape(), "param %d (%s)", i, fp[i].Name)
	}
	assert.Equal(t, graph.CountParams(fp), graph.CountParams(gp))
}

func TestMetaRoundTrip(t *testing.T) {
	f := flowCases()[0].build(t, 1)
	b, err := modelfile.Marshal(f, testMeta())
	require.NoError(t, err)
	_, meta, err := modelfile.Unmarshal(b, "m.json")
	require.NoError(t, err)
	cols, ok := meta.Strings("columns")
	require.True(t, ok)
	assert.Equal(t, []string{"a", "b"}, cols)
	seed, ok := meta.Number("seed")
	require.True(t, ok)
	assert.Equal(t, 7.0, seed)
	cmd, _ := meta["command"].(string)
	assert.Equal(t, "flow train -seed 7", cmd)
	_, ok = meta.Strings("seed")
	assert.False(t, ok)

	b, err = modelfile.Marshal(f, nil)
	require.NoError(t, err)
	assert.NotContains(t, string(b), `"meta"`)
	_, meta, err = modelfile.Unmarshal(b, "m.json")
	require.NoError(t, err)
	assert.Nil(t, meta)
}

// A reloaded ActNorm is already initialized: training it again must not reset it from data.
func TestActNormStaysInitialized(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	l, _ := actNorm(3, rng)
	f := &distributions.Flow{Base: distributions.StandardNormal{D: 3}, Layers: []layers.Layer{l}}
	b, err := modelfile.Marshal(f, nil)
	require.NoError(t, err)
	g, _, err := modelfile.Unmarshal(b, "m.json")
	require.NoError(t, err)
	an := g.Layers[0].(*layers.ElementwiseAffine)
	require.False(t, an.Frozen)
	require.Len(t, an.Params(), 2)
	before := append(append([]float64(nil), an.Shift.Data()...), an.LogScale.Data()...)
	g.InitFromData(data(50, 3, rng))
	assert.Equal(t, before, append(append([]float64(nil), an.Shift.Data()...), an.LogScale.Data()...))
}

// fakeLayer is a layer type the format does not know.
type fakeLayer struct{ *layers.Permutation }

type fakeBase struct{ distributions.StandardNormal }

func TestMarshalRefuses(t *testing.T) {
	perm := layers.Reverse(2)
	f := &distributions.Flow{Base: distributions.StandardNormal{D: 2}, Layers: []layers.Layer{perm, fakeLayer{perm}}}
	_, err := modelfile.Marshal(f, nil)
	require.ErrorContains(t, err, "modelfile: layers[1]: cannot encode layer type modelfile_test.fakeLayer: the format has no such layer (known: affine_injection, bounded, elementwise_affine, half_bounded, injection, inverted, linear, permutation)")

	f = &distributions.Flow{Base: fakeBase{distributions.StandardNormal{D: 2}}}
	_, err = modelfile.Marshal(f, nil)
	require.ErrorContains(t, err, "modelfile: base: cannot encode base type modelfile_test.fakeBase")

	lin := layers.NewLinear(2, nil)
	lin.B.Data()[1] = math.NaN()
	f = &distributions.Flow{Base: distributions.StandardNormal{D: 2}, Layers: []layers.Layer{perm, lin}}
	_, err = modelfile.Marshal(f, nil)
	require.ErrorContains(t, err, "modelfile: layers[1] (linear): json: unsupported value: NaN")

	_, err = modelfile.Marshal(&distributions.Flow{}, nil)
	require.ErrorContains(t, err, "without a base")

	f = &distributions.Flow{Base: distributions.StandardNormal{D: 3}, Layers: []layers.Layer{perm}}
	_, err = modelfile.Marshal(f, nil)
	require.ErrorContains(t, err, "layer 0 has width 2, base has 3")

	_, err = modelfile.Marshal(&distributions.Flow{Base: distributions.StandardNormal{D: 2}}, modelfile.Meta{"f": func() {}})
	require.ErrorContains(t, err, "modelfile: meta: json: unsupported type")

	l, err := layers.NewAffineInjection(masks.Natural(3), layers.AffineSettings{Hidden: []int{4}}, rand.New(rand.NewSource(1)))
	require.NoError(t, err)
	l.Net.Layers[1].Mask = nil
	f = &distributions.Flow{Base: distributions.StandardNormal{D: 3}, Layers: []layers.Layer{l}}
	_, err = modelfile.Marshal(f, nil)
	require.ErrorContains(t, err, "modelfile: layers[0] (affine_injection): net[1] has no mask")

	// A model whose masks are not autoregressive is refused with the reader's message.
	l, err = layers.NewAffineInjection(masks.Natural(3), layers.AffineSettings{Hidden: []int{4}}, rand.New(rand.NewSource(1)))
	require.NoError(t, err)
	l.Net.Layers[1].Mask.Set(0, 0, 1)
	f = &distributions.Flow{Base: distributions.StandardNormal{D: 3}, Layers: []layers.Layer{l}}
	_, err = modelfile.Marshal(f, nil)
	require.ErrorContains(t, err, "modelfile: refusing to write a model that would not load: layers[0] (affine_injection): net masks are not autoregressive in order")
}
