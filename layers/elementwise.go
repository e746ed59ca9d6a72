package layers

import (
	"math"

	"github.com/affineflow/flow/graph"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
	G "gorgonia.org/gorgonia"
)

// ElementwiseAffine is y = (x - Shift) ⊙ exp(LogScale), log-det Σ LogScale per row.
//
// As ActNorm (Kingma & Dhariwal 2018) it is learnable and initialized from data so that its
// outputs have zero mean and unit variance; as a standardizer it is Frozen (no parameters).
type ElementwiseAffine struct {
	Shift, LogScale *graph.Param // vectors of length D
	Frozen          bool         // Params returns nil: the map is fixed
	initialized     bool
}

// NewActNorm returns a learnable identity map of width d that InitFromData sets from a batch.
func NewActNorm(d int) *ElementwiseAffine {
	return &ElementwiseAffine{Shift: graph.NewParam("actnorm.shift", nil, d), LogScale: graph.NewParam("actnorm.logscale", nil, d)}
}

// NewElementwiseAffine returns the initialized map y = (x − shift) ⊙ exp(logScale) from its values
// (copied): an ActNorm that training goes on from (no data-dependent initialization), or, frozen,
// a fixed map such as a standardization. This is how a stored layer is rebuilt.
func NewElementwiseAffine(shift, logScale []float64, frozen bool) *ElementwiseAffine {
	name := "actnorm"
	if frozen {
		name = "std"
	}
	return &ElementwiseAffine{
		Shift:       graph.NewParam(name+".shift", append([]float64(nil), shift...), len(shift)),
		LogScale:    graph.NewParam(name+".logscale", append([]float64(nil), logScale...), len(logScale)),
		Frozen:      frozen,
		initialized: true,
	}
}

// NewStandardize returns the frozen map (x - mean)/std.
func NewStandardize(mean, std []float64) *ElementwiseAffine {
	ls := make([]float64, len(std))
	for i, s := range std {
		ls[i] = -math.Log(s)
	}
	return NewElementwiseAffine(mean, ls, true)
}

// StandardizeFrom returns the frozen map (x - mean)/std with the column means and standard
// deviations (n−1 denominator) of x, the training data; a constant column is only shifted. Its
// log-det, −Σ_j log std_j per row, is counted, so densities stay in the units of x.
func StandardizeFrom(x *mat.Dense) *ElementwiseAffine {
	_, d := x.Dims()
	l := &ElementwiseAffine{Shift: graph.NewParam("std.shift", nil, d), LogScale: graph.NewParam("std.logscale", nil, d), Frozen: true}
	l.InitFromData(x)
	return l
}

// InitFromData sets Shift to the column means of x and LogScale to -log of the column standard
// deviations (1 where a column is constant). Only the first call has an effect.
func (l *ElementwiseAffine) InitFromData(x *mat.Dense) {
	if l.initialized {
		return
	}
	l.initialized = true
	_, d := x.Dims()
	sh, ls := l.Shift.Data(), l.LogScale.Data()
	for j := 0; j < d; j++ {
		col := mat.Col(nil, j, x)
		m, s := stat.MeanStdDev(col, nil)
		sh[j] = m
		if s > 0 && !math.IsNaN(s) {
			ls[j] = -math.Log(s)
		}
	}
	l.Shift.Touch()
	l.LogScale.Touch()
}

// Dim returns D.
func (l *ElementwiseAffine) Dim() int { return l.Shift.Len() }

// Params returns Shift and LogScale, or nil when Frozen.
func (l *ElementwiseAffine) Params() []*graph.Param {
	if l.Frozen {
		return nil
	}
	return []*graph.Param{l.Shift, l.LogScale}
}

// Pattern is the identity.
func (l *ElementwiseAffine) Pattern() *mat.Dense {
	return withDiagonal(mat.NewDense(l.Dim(), l.Dim(), nil))
}

// Forward adds (x - Shift) ⊙ exp(LogScale) and Σ LogScale to g.
func (l *ElementwiseAffine) Forward(g *graph.Graph, x *G.Node) (y, logdet *G.Node) {
	shift, ls := l.nodes(g)
	y = graph.MulRow(graph.SubRow(x, shift), G.Must(G.Exp(ls)))
	return y, g.Fill(G.Must(G.Sum(ls)), x.Shape()[0])
}

// nodes returns Shift and LogScale in g: constants when Frozen, parameters otherwise.
func (l *ElementwiseAffine) nodes(g *graph.Graph) (shift, logScale *G.Node) {
	if l.Frozen {
		return g.ConstVec(l.Shift.Data()), g.ConstVec(l.LogScale.Data())
	}
	return g.Param(l.Shift), g.Param(l.LogScale)
}

// Transform is the numeric forward.
func (l *ElementwiseAffine) Transform(x *mat.Dense) (*mat.Dense, []float64) {
	n, d := x.Dims()
	y := mat.NewDense(n, d, nil)
	sh, ls := l.Shift.Data(), l.LogScale.Data()
	y.Apply(func(_, j int, v float64) float64 { return (v - sh[j]) * math.Exp(ls[j]) }, x)
	return y, fill(n, sum(ls))
}

// Inverse is x = y ⊙ exp(-LogScale) + Shift.
func (l *ElementwiseAffine) Inverse(y *mat.Dense) (*mat.Dense, []float64) {
	n, d := y.Dims()
	x := mat.NewDense(n, d, nil)
	sh, ls := l.Shift.Data(), l.LogScale.Data()
	x.Apply(func(_, j int, v float64) float64 { return v*math.Exp(-ls[j]) + sh[j] }, y)
	return x, fill(n, sum(ls))
}

func sum(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s
}

func fill(n int, v float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}
