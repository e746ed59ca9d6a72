package main

import (
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"
)

// Structure-recovery scores. Matrices are D×D in the Jacobian convention: A[i][j] != 0 means
// the edge j → i (output i depends on input j).

// AUROC is the area under the ROC curve of scores as a ranking of the true edges (truth != 0)
// above the absent ones, over the pairs where allowed != 0: the probability that a random true
// edge scores higher than a random absent edge, ties counting one half (Mann–Whitney). It is NaN
// when the allowed pairs hold no true edge or no absent one.
func AUROC(scores, truth, allowed *mat.Dense) float64 {
	var pos, neg []float64
	r, c := scores.Dims()
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			if allowed.At(i, j) == 0 {
				continue
			}
			if truth.At(i, j) != 0 {
				pos = append(pos, scores.At(i, j))
			} else {
				neg = append(neg, scores.At(i, j))
			}
		}
	}
	if len(pos) == 0 || len(neg) == 0 {
		return math.NaN()
	}
	wins := 0.0
	for _, p := range pos {
		for _, n := range neg {
			switch {
			case p > n:
				wins++
			case p == n:
				wins += 0.5
			}
		}
	}
	return wins / float64(len(pos)*len(neg))
}

// SHD is the structural Hamming distance between two directed graphs: the number of unordered
// pairs {i, j} whose edges differ (a missing, an extra and a reversed edge count one each).
func SHD(pred, truth *mat.Dense) int {
	r, _ := pred.Dims()
	shd := 0
	for i := 0; i < r; i++ {
		for j := i + 1; j < r; j++ {
			if (pred.At(i, j) != 0) != (truth.At(i, j) != 0) || (pred.At(j, i) != 0) != (truth.At(j, i) != 0) {
				shd++
			}
		}
	}
	return shd
}

// TopK returns the 0/1 matrix of the k highest scores among the allowed pairs (ties towards the
// lower row, then column).
func TopK(scores, allowed *mat.Dense, k int) *mat.Dense {
	r, c := scores.Dims()
	type pair struct{ i, j int }
	var ps []pair
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			if allowed.At(i, j) != 0 {
				ps = append(ps, pair{i, j})
			}
		}
	}
	sort.SliceStable(ps, func(a, b int) bool { return scores.At(ps[a].i, ps[a].j) > scores.At(ps[b].i, ps[b].j) })
	out := mat.NewDense(r, c, nil)
	for _, p := range ps[:min(k, len(ps))] {
		out.Set(p.i, p.j, 1)
	}
	return out
}
