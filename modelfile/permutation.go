package modelfile

import (
	"encoding/json"
	"fmt"

	"github.com/affineflow/flow/layers"
)

// permutationJSON is a "permutation" layer: y[:, k] = x[:, perm[k]].
type permutationJSON struct {
	Perm []int `json:"perm"`
}

func init() { registerLayer("permutation", encodePermutation, decodePermutation) }

func encodePermutation(l *layers.Permutation) (any, error) {
	return permutationJSON{Perm: append([]int(nil), l.Perm...)}, nil
}

func decodePermutation(raw json.RawMessage, dim int) (*layers.Permutation, error) {
	var v permutationJSON
	if err := decodeInto(raw, &v, ""); err != nil {
		return nil, err
	}
	perm, err := ints("perm", v.Perm, dim)
	if err != nil {
		return nil, err
	}
	l, err := layers.NewPermutation(perm)
	if err != nil {
		return nil, fmt.Errorf("perm %v is not a permutation of 0..%d: %w", perm, dim-1, err)
	}
	return l, nil
}
