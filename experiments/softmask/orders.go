package main

import (
	"fmt"
	"math/rand"
	"time"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/masks"
	"github.com/affineflow/flow/trainer"
	"gonum.org/v1/gonum/mat"
)

// orderUnknown learns the structure without the DAG's order: soft injection masks in c.orders
// random column orders (rng), scored over every ordered pair. It returns two rows: the first
// order alone (what a fit in an arbitrary order gives) and the orders combined (combineOrders,
// orient), each with the AUROC over all off-diagonal pairs, the SHD of the graph oriented at 0.5
// and of the top-k pairs, and the mean test NLL of the fits it rests on.
func orderUnknown(c config, sem *SEM, train, val, test *mat.Dense, rng *rand.Rand) ([]row, error) {
	truth := sem.Truth()
	all := mat.NewDense(c.d, c.d, nil) // every off-diagonal pair
	all.Apply(func(i, j int, _ float64) float64 {
		if i == j {
			return 0
		}
		return 1
	}, all)
	orders := randomOrders(c.d, c.orders, rng)
	var ms []*mat.Dense
	var nlls []float64
	start := time.Now()
	for r, order := range orders {
		l, err := layers.NewInjection(order, layers.InjectionSettings{Hidden: c.hidden, LearnMask: true, MaskInit: c.init}, rng)
		if err != nil {
			return nil, err
		}
		f := &distributions.Flow{Base: distributions.StandardNormal{D: c.d}, Layers: []layers.Layer{l}}
		if _, err := trainer.Fit(f, train, val, c.settings()); err != nil {
			return nil, fmt.Errorf("order %d: %w", r+1, err)
		}
		ms, nlls = append(ms, l.EffectiveMask()), append(nlls, f.NLL(test))
	}
	score := func(model string, s *mat.Dense, nll float64) row {
		return row{model: model, auroc: AUROC(s, truth, all), shdHalf: SHD(orient(s, 0.5), truth),
			kk: int(mat.Sum(orient(s, 0.5))), shdTop: SHD(TopK(s, all, sem.Edges()), truth), nll: nll,
			secs: time.Since(start).Seconds()}
	}
	mean := 0.0
	for _, v := range nlls {
		mean += v / float64(len(nlls))
	}
	return []row{
		score("injection soft, one random order (order unknown)", ms[0], nlls[0]),
		score(fmt.Sprintf("injection soft, %d random orders combined (order unknown; NLL: their mean)", c.orders), combineOrders(ms, orders), mean),
	}, nil
}

// combineOrders merges soft masks learned in several orders (ms[r] learned in orders[r], both in
// column indices, M[i][j]: how much i uses j) into one score per ordered pair: the mean of
// M_r[i][j] over the orders in which j may precede i. A pair never allowed scores 0.
func combineOrders(ms []*mat.Dense, orders []masks.Degrees) *mat.Dense {
	d := len(orders[0])
	sum, count := mat.NewDense(d, d, nil), mat.NewDense(d, d, nil)
	for r, m := range ms {
		for i := range d {
			for j := range d {
				if orders[r][j] < orders[r][i] {
					sum.Set(i, j, sum.At(i, j)+m.At(i, j))
					count.Set(i, j, count.At(i, j)+1)
				}
			}
		}
	}
	for i := range d {
		for j := range d {
			if c := count.At(i, j); c > 0 {
				sum.Set(i, j, sum.At(i, j)/c)
			}
		}
	}
	return sum
}

// orient keeps, for every unordered pair, the direction of the larger score when it reaches thr:
// a directed graph (it may hold cycles; SHD counts each pair once).
func orient(s *mat.Dense, thr float64) *mat.Dense {
	d, _ := s.Dims()
	g := mat.NewDense(d, d, nil)
	for i := range d {
		for j := i + 1; j < d; j++ {
			a, b := s.At(i, j), s.At(j, i) // j → i, i → j
			switch {
			case a >= b && a >= thr:
				g.Set(i, j, 1)
			case b > a && b >= thr:
				g.Set(j, i, 1)
			}
		}
	}
	return g
}

// randomOrders draws k random orders of d columns.
func randomOrders(d, k int, rng *rand.Rand) []masks.Degrees {
	out := make([]masks.Degrees, k)
	for r := range out {
		out[r] = masks.Random(d, rng)
	}
	return out
}
