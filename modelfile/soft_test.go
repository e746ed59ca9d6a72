package modelfile_test

import (
	"math/rand"
	"testing"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/masks"
	"github.com/affineflow/flow/modelfile"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

func learnedInjection(order func(d int) masks.Degrees) layerFn {
	return injection(order, layers.InjectionSettings{Hidden: []int{8, 8}, Embedding: 3, LearnMask: true}, nil)
}

func gatedMADE(order func(d int) masks.Degrees) layerFn {
	return func(d int, rng *rand.Rand) (layers.Layer, error) {
		l, err := layers.NewAffineInjection(order(d), layers.AffineSettings{Hidden: []int{8, 8}}, rng)
		if err != nil {
			return nil, err
		}
		return l, l.LearnGates(0.7)
	}
}

// softFlow is a gated MADE and a learned-mask injection layer with perturbed parameters.
func softFlow(t *testing.T) *distributions.Flow {
	return flowCase{dim: 4, layers: []layerFn{gatedMADE(masks.Natural), learnedInjection(masks.Reversed)}}.build(t, 3)
}

// The file holds the effective soft values in the spec fields ("mask"), so the density needs
// nothing else; the logits are extra fields that make the reloaded layers learnable again.
func TestSoftMasksInFile(t *testing.T) {
	f := softFlow(t)
	x := dataRows(t, 4)
	want := f.LogProbs(x)
	inj := f.Layers[1].(*layers.Injection)
	made := f.Layers[0].(*layers.AffineInjection)

	data := edited(t, f, func(m map[string]any) {
		inj := layerAt(m, 1)
		require.Contains(t, inj, "mask_logits")
		require.Contains(t, netAt(m, 0, 0), "gate_logits")
		require.NotContains(t, netAt(m, 0, 1), "gate_logits")
	})
	g, _, err := modelfile.Unmarshal(data, "soft.json")
	require.NoError(t, err)
	gi, gm := g.Layers[1].(*layers.Injection), g.Layers[0].(*layers.AffineInjection)
	assert.True(t, gi.Soft())
	assert.True(t, gm.Soft())
	assert.Equal(t, inj.Logits.Data(), gi.Logits.Data())
	assert.True(t, mat.Equal(inj.EffectiveMask(), gi.EffectiveMask()))
	assert.Equal(t, made.Net.Layers[0].Gate.Data(), gm.Net.Layers[0].Gate.Data())
	for r, lp := range g.LogProbs(x) {
		require.Equal(t, want[r], lp, "row %d", r)
	}

	// without the extra fields: fixed (soft-valued) masks, the same density, the reference agrees
	plain := edited(t, f, func(m map[string]any) {
		delKey(layerAt(m, 1), "mask_logits")
		delKey(netAt(m, 0, 0), "gate_logits")
	})
	h, _, err := modelfile.Unmarshal(plain, "plain.json")
	require.NoError(t, err)
	assert.False(t, h.Layers[1].(*layers.Injection).Soft())
	assert.False(t, h.Layers[0].(*layers.AffineInjection).Soft())
	ref := refDecode(plain)
	for r, lp := range h.LogProbs(x) {
		require.Equal(t, want[r], lp, "row %d", r)
		require.InDelta(t, ref.logProb(x.RawRowView(r)), lp, 1e-9, "row %d", r)
	}

	// a hardened flow writes its 0/1 masks and no logits
	f.HardenMasks(0.5)
	hard := edited(t, f, func(m map[string]any) {
		require.NotContains(t, layerAt(m, 1), "mask_logits")
		require.NotContains(t, netAt(m, 0, 0), "gate_logits")
		for _, row := range rowsAt(layerAt(m, 1)["mask"]) {
			for _, v := range row.([]any) {
				require.Contains(t, []float64{0, 1}, v.(float64))
			}
		}
	})
	_, _, err = modelfile.Unmarshal(hard, "hard.json")
	require.NoError(t, err)
}

func TestSoftMasksRefused(t *testing.T) {
	f := softFlow(t)
	for _, c := range []struct {
		name, want string
		edit       func(m map[string]any)
	}{
		{"logits disagree", "layers[1] (injection): mask_logits give", func(m map[string]any) {
			row := rowsAt(layerAt(m, 1)["mask_logits"])[0].([]any) // output 0 comes last in Reversed(4)
			row[1] = row[1].(float64) + 0.1
		}},
		{"logits shape", "layers[1] (injection): mask_logits", func(m map[string]any) {
			l := layerAt(m, 1)
			l["mask_logits"] = rowsAt(l["mask_logits"])[:3]
		}},
		{"gates disagree", "layers[0] (affine_injection): net[0].gate_logits give", func(m map[string]any) {
			row := rowsAt(netAt(m, 0, 0)["gate_logits"])[0].([]any)
			row[7] = row[7].(float64) - 1
		}},
		{"gates on an injection net", "net[0].gate_logits", func(m map[string]any) {
			netAt(m, 1, 0)["gate_logits"] = netAt(m, 1, 0)["weight"]
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := modelfile.Unmarshal(edited(t, f, c.edit), "bad.json")
			require.ErrorContains(t, err, c.want)
		})
	}
}
