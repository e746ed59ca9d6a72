package targets

import (
	"math"

	"github.com/affineflow/flow/graph"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// val is a column of N values: a *G.Node (vector) in a graph, a []float64 numerically.
type val = any

// alg is what a target's formula may do with columns of x: every op acts row by row.
type alg interface {
	col(j int) val
	add(a, b val) val
	sub(a, b val) val
	mul(a, b val) val
	scale(a val, c float64) val // c·a
	shift(a val, c float64) val // a + c
	square(a val) val
	exp(a val) val
	sin(a val) val
	sqrt(a val) val
	sigmoid(a val) val
	lse(terms ...val) val // log Σ_k exp(terms_k)
}

// nodes evaluates a formula in a graph on the N×D node x.
type nodes struct {
	g *graph.Graph
	x *G.Node
}

func (a nodes) col(j int) val {
	return G.Must(G.Reshape(graph.Cols(a.x, j, j+1), tensor.Shape{a.x.Shape()[0]}))
}
func (a nodes) add(p, q val) val { return G.Must(G.Add(p.(*G.Node), q.(*G.Node))) }
func (a nodes) sub(p, q val) val { return G.Must(G.Sub(p.(*G.Node), q.(*G.Node))) }
func (a nodes) mul(p, q val) val { return G.Must(G.HadamardProd(p.(*G.Node), q.(*G.Node))) }
func (a nodes) scale(p val, c float64) val {
	return G.Must(G.Mul(p.(*G.Node), a.g.Scalar(c)))
}
func (a nodes) shift(p val, c float64) val { return G.Must(G.Add(p.(*G.Node), a.g.Scalar(c))) }
func (a nodes) square(p val) val           { return G.Must(G.Square(p.(*G.Node))) }
func (a nodes) exp(p val) val              { return G.Must(G.Exp(p.(*G.Node))) }
func (a nodes) sin(p val) val              { return G.Must(G.Sin(p.(*G.Node))) }
func (a nodes) sqrt(p val) val             { return G.Must(G.Sqrt(p.(*G.Node))) }
func (a nodes) sigmoid(p val) val          { return G.Must(G.Sigmoid(p.(*G.Node))) }
func (a nodes) lse(terms ...val) val {
	n := a.x.Shape()[0]
	cols := make([]*G.Node, len(terms))
	for k, t := range terms {
		cols[k] = G.Must(G.Reshape(t.(*G.Node), tensor.Shape{n, 1}))
	}
	return graph.LogSumExpRows(G.Must(G.Concat(1, cols...)))
}

// numbers evaluates a formula numerically on the rows of x (row-major, d columns).
type numbers struct {
	x []float64
	d int
}

func (a numbers) rows() int { return len(a.x) / a.d }

func (a numbers) col(j int) val {
	out := make([]float64, a.rows())
	for r := range out {
		out[r] = a.x[r*a.d+j]
	}
	return out
}

func zip(p, q val, f func(u, v float64) float64) val {
	u, v := p.([]float64), q.([]float64)
	out := make([]float64, len(u))
	for i := range out {
		out[i] = f(u[i], v[i])
	}
	return out
}

func each(p val, f func(u float64) float64) val {
	u := p.([]float64)
	out := make([]float64, len(u))
	for i := range out {
		out[i] = f(u[i])
	}
	return out
}

func (numbers) add(p, q val) val { return zip(p, q, func(u, v float64) float64 { return u + v }) }
func (numbers) sub(p, q val) val { return zip(p, q, func(u, v float64) float64 { return u - v }) }
func (numbers) mul(p, q val) val { return zip(p, q, func(u, v float64) float64 { return u * v }) }
func (numbers) scale(p val, c float64) val {
	return each(p, func(u float64) float64 { return c * u })
}
func (numbers) shift(p val, c float64) val { return each(p, func(u float64) float64 { return u + c }) }
func (numbers) square(p val) val           { return each(p, func(u float64) float64 { return u * u }) }
func (numbers) exp(p val) val              { return each(p, math.Exp) }
func (numbers) sin(p val) val              { return each(p, math.Sin) }
func (numbers) sqrt(p val) val             { return each(p, math.Sqrt) }
func (numbers) sigmoid(p val) val {
	return each(p, func(u float64) float64 { return 1 / (1 + math.Exp(-u)) })
}
func (a numbers) lse(terms ...val) val {
	out := make([]float64, len(terms[0].([]float64)))
	for r := range out {
		most := math.Inf(-1)
		for _, t := range terms {
			most = math.Max(most, t.([]float64)[r])
		}
		sum := 0.0
		for _, t := range terms {
			sum += math.Exp(t.([]float64)[r] - most)
		}
		out[r] = most + math.Log(sum)
	}
	return out
}
