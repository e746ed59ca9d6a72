package main

import (
	"math"
	"math/rand"

	"github.com/affineflow/flow/masks"
	"gonum.org/v1/gonum/mat"
)

// SEM is a known sparse structural model with additive Gaussian noise on a random DAG:
//
//	x_i = (Σ_{j ∈ pa(i)} w_ij · f_ij(x_j) + σ_i ε_i − Mean_i) / Scale_i,   ε_i ~ N(0, 1),
//
// each f_ij one of x, tanh(2x), sin(πx/2). Mean and Scale standardize every variable (they are
// fixed at construction from a pilot sample, so the density is known exactly). The variables are
// labelled in a random order: the column order is not a topological order.
type SEM struct {
	D       int
	Topo    []int   // a topological order: Topo[k] is the k-th variable generated
	Parents [][]int // parents of each variable
	W       [][]float64
	F       [][]int // f_ij: 0 linear, 1 tanh(2x), 2 sin(πx/2)
	Noise   []float64
	Mean    []float64
	Scale   []float64
}

// RandomSEM draws a DAG on d variables where each earlier variable (in a random topological
// order) is a parent with probability 2·parents/(d-1), so a variable has `parents` parents on
// average, with weights ±U(0.5, 1.5) and noise scales U(0.4, 0.8).
func RandomSEM(d int, parents float64, rng *rand.Rand) *SEM {
	s := &SEM{D: d, Topo: rng.Perm(d), Parents: make([][]int, d), W: make([][]float64, d), F: make([][]int, d),
		Noise: make([]float64, d), Mean: make([]float64, d), Scale: make([]float64, d)}
	p := 0.0
	if d > 1 {
		p = math.Min(1, 2*parents/float64(d-1))
	}
	for k, i := range s.Topo {
		for _, j := range s.Topo[:k] {
			if rng.Float64() < p {
				w := 0.5 + rng.Float64()
				if rng.Intn(2) == 0 {
					w = -w
				}
				s.Parents[i] = append(s.Parents[i], j)
				s.W[i] = append(s.W[i], w)
				s.F[i] = append(s.F[i], rng.Intn(3))
			}
		}
		s.Noise[i] = 0.4 + 0.4*rng.Float64()
	}
	// standardize in topological order: each variable's Mean and Scale from a pilot sample whose
	// parents are already standardized
	pilot := mat.NewDense(20000, d, nil)
	for _, i := range s.Topo {
		col := make([]float64, 20000)
		m := 0.0
		for r := range col {
			col[r] = s.mean(i, pilot.RawRowView(r)) + s.Noise[i]*rng.NormFloat64()
			m += col[r] / float64(len(col))
		}
		v := 0.0
		for _, x := range col {
			v += (x - m) * (x - m) / float64(len(col))
		}
		s.Mean[i], s.Scale[i] = m, math.Sqrt(v)
		for r, x := range col {
			pilot.Set(r, i, (x-m)/s.Scale[i])
		}
	}
	return s
}

func effect(kind int, x float64) float64 {
	switch kind {
	case 1:
		return math.Tanh(2 * x)
	case 2:
		return math.Sin(math.Pi * x / 2)
	}
	return x
}

// mean returns Σ_j w_ij f_ij(x_j) for one row.
func (s *SEM) mean(i int, row []float64) float64 {
	m := 0.0
	for p, j := range s.Parents[i] {
		m += s.W[i][p] * effect(s.F[i][p], row[j])
	}
	return m
}

// Sample draws n rows.
func (s *SEM) Sample(n int, rng *rand.Rand) *mat.Dense {
	x := mat.NewDense(n, s.D, nil)
	for r := 0; r < n; r++ {
		row := x.RawRowView(r)
		for _, i := range s.Topo {
			row[i] = (s.mean(i, row) + s.Noise[i]*rng.NormFloat64() - s.Mean[i]) / s.Scale[i]
		}
	}
	return x
}

// LogProb returns the exact log-density of each row.
func (s *SEM) LogProb(x *mat.Dense) []float64 {
	n, _ := x.Dims()
	out := make([]float64, n)
	for r := 0; r < n; r++ {
		row := x.RawRowView(r)
		for i := 0; i < s.D; i++ {
			sd := s.Noise[i] / s.Scale[i]
			z := (row[i] - (s.mean(i, row)-s.Mean[i])/s.Scale[i]) / sd
			out[r] += -0.5*z*z - math.Log(sd) - 0.5*math.Log(2*math.Pi)
		}
	}
	return out
}

// Truth returns the D×D adjacency in the Jacobian convention: T[i][j] = 1 iff j is a parent of i.
func (s *SEM) Truth() *mat.Dense {
	t := mat.NewDense(s.D, s.D, nil)
	for i, ps := range s.Parents {
		for _, j := range ps {
			t.Set(i, j, 1)
		}
	}
	return t
}

// Edges is the number of edges.
func (s *SEM) Edges() int { return int(mat.Sum(s.Truth())) }

// LinearExtension returns the degrees of a uniformly drawn topological order of the DAG (at each
// step a random variable among those whose parents are all placed): a flow order in which every
// true edge j → i is allowed (deg[j] < deg[i]).
func (s *SEM) LinearExtension(rng *rand.Rand) masks.Degrees {
	deg := make(masks.Degrees, s.D)
	placed := 0
	for placed < s.D {
		var ready []int
		for i := 0; i < s.D; i++ {
			if deg[i] != 0 {
				continue
			}
			ok := true
			for _, j := range s.Parents[i] {
				ok = ok && deg[j] != 0
			}
			if ok {
				ready = append(ready, i)
			}
		}
		placed++
		deg[ready[rng.Intn(len(ready))]] = placed
	}
	return deg
}
