package modelfile

import (
	"encoding/json"
	"fmt"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/graph"
)

// diagonalJSON is a "diagonal_normal" base: N(mean, diag(exp(2·log_std))).
type diagonalJSON struct {
	Mean   []float64 `json:"mean"`
	LogStd []float64 `json:"log_std"`
}

func init() {
	baseKinds.add("standard_normal", kind[distributions.Base]{
		encode: func(b distributions.Base) (any, bool, error) {
			switch b.(type) {
			case distributions.StandardNormal, *distributions.StandardNormal:
				return struct{}{}, true, nil
			}
			return nil, false, nil
		},
		decode: func(_ json.RawMessage, dim int) (distributions.Base, error) {
			return distributions.StandardNormal{D: dim}, nil
		},
	})
	baseKinds.add("diagonal_normal", kind[distributions.Base]{
		encode: func(b distributions.Base) (any, bool, error) {
			dn, ok := b.(*distributions.DiagonalNormal)
			if !ok {
				return nil, false, nil
			}
			return diagonalJSON{
				Mean:   append([]float64(nil), dn.Mean.Data()...),
				LogStd: append([]float64(nil), dn.LogStd.Data()...),
			}, true, nil
		},
		decode: decodeDiagonal,
	})
	baseKinds.add("student_t", kind[distributions.Base]{
		encode: func(b distributions.Base) (any, bool, error) {
			switch st := b.(type) {
			case distributions.StudentT:
				return studentJSON{Nu: &st.Nu}, true, nil
			case *distributions.LearnedStudentT:
				nu := st.Nu()
				return studentJSON{Nu: &nu, LearnNu: true}, true, nil
			}
			return nil, false, nil
		},
		decode: decodeStudent,
	})
}

// studentJSON is a "student_t" base: the multivariate Student-t with nu degrees of freedom,
// location 0 and scale I.
type studentJSON struct {
	Nu *float64 `json:"nu"`
	// LearnNu is this package's extension: ν is learned in training (the density is the same).
	LearnNu bool `json:"learn_nu,omitempty"`
}

func decodeStudent(raw json.RawMessage, dim int) (distributions.Base, error) {
	var v studentJSON
	if err := decodeInto(raw, &v, ""); err != nil {
		return nil, err
	}
	if v.Nu == nil {
		return nil, fmt.Errorf("nu is missing")
	}
	b, err := distributions.NewStudentT(dim, *v.Nu)
	if err != nil {
		return nil, fmt.Errorf("nu is %v, want a positive number at most %g (distributions.MaxNu)", *v.Nu, float64(distributions.MaxNu))
	}
	if v.LearnNu {
		return distributions.NewLearnedStudentT(dim, *v.Nu)
	}
	return b, nil
}

func decodeDiagonal(raw json.RawMessage, dim int) (distributions.Base, error) {
	var v diagonalJSON
	if err := decodeInto(raw, &v, ""); err != nil {
		return nil, err
	}
	mean, err := vector("mean", v.Mean, dim)
	if err != nil {
		return nil, err
	}
	ls, err := logScales("log_std", v.LogStd, dim)
	if err != nil {
		return nil, err
	}
	return &distributions.DiagonalNormal{
		Mean:   graph.NewParam("base.mean", mean, dim),
		LogStd: graph.NewParam("base.logstd", ls, dim),
	}, nil
}
