package modelfile

import (
	"encoding/json"
	"fmt"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/graph"
)

// mixtureJSON is a "mixture" base: Σ_k w_k N(means[k], diag(exp(2·log_stds[k]))) with
// w = softmax(logits).
type mixtureJSON struct {
	Logits  []float64   `json:"logits"`
	Means   [][]float64 `json:"means"`
	LogStds [][]float64 `json:"log_stds"`
}

func init() {
	baseKinds.add("mixture", kind[distributions.Base]{
		encode: func(b distributions.Base) (any, bool, error) {
			m, ok := b.(*distributions.Mixture)
			if !ok {
				return nil, false, nil
			}
			return mixtureJSON{Logits: append([]float64(nil), m.Logits.Data()...),
				Means: rows(m.Means.Mat()), LogStds: rows(m.LogStd.Mat())}, true, nil
		},
		decode: decodeMixture,
	})
}

func decodeMixture(raw json.RawMessage, dim int) (distributions.Base, error) {
	var v mixtureJSON
	if err := decodeInto(raw, &v, ""); err != nil {
		return nil, err
	}
	k := len(v.Logits)
	if k < 1 || k > distributions.MaxComponents {
		return nil, fmt.Errorf("logits has %d values, want 1 to %d components (distributions.MaxComponents)", k, distributions.MaxComponents)
	}
	logits, err := logScales("logits", v.Logits, k)
	if err != nil {
		return nil, err
	}
	means, err := matrix("means", v.Means, k, dim)
	if err != nil {
		return nil, err
	}
	ls, err := matrix("log_stds", v.LogStds, k, dim)
	if err != nil {
		return nil, err
	}
	if _, err := logScales("log_stds", ls.RawMatrix().Data, k*dim); err != nil {
		return nil, err
	}
	return &distributions.Mixture{
		Logits: graph.NewParam("base.logits", logits, k),
		Means:  graph.NewParam("base.means", means.RawMatrix().Data, k, dim),
		LogStd: graph.NewParam("base.logstd", ls.RawMatrix().Data, k, dim),
	}, nil
}
