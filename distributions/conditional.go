package distributions

import (
	"fmt"

	"github.com/affineflow/flow/graph"
	"gonum.org/v1/gonum/mat"
	G "gorgonia.org/gorgonia"
)

// ConditionalFlow presents a conditional flow p(x | ctx) as a model of the concatenated rows
// [x, ctx] (D + C columns), so that trainer.Fit, trainer.Evaluator and trainer.Stepper train and
// evaluate it unchanged: its LogProb splits the input columns into x (the first D) and the
// context (the last C) and returns log p(x | ctx). Build the flow with Spec.Context = C.
type ConditionalFlow struct {
	Flow *Flow
}

// Conditional returns f as a model of [x, ctx] rows; f must have context inputs.
func Conditional(f *Flow) (ConditionalFlow, error) {
	if f.ContextDim() == 0 {
		return ConditionalFlow{}, fmt.Errorf("distributions: the flow has no context inputs")
	}
	return ConditionalFlow{Flow: f}, f.Validate()
}

// Width is D + C, the number of columns of the rows the model reads.
func (c ConditionalFlow) Width() int { return c.Flow.Dim() + c.Flow.ContextDim() }

// LogProb adds log p(x | ctx) per row of xc = [x, ctx] (N×(D+C)) to g.
func (c ConditionalFlow) LogProb(g *graph.Graph, xc *G.Node) *G.Node {
	d, w := c.Flow.Dim(), c.Width()
	return c.Flow.LogProbContext(g, graph.Cols(xc, 0, d), graph.Cols(xc, d, w))
}

// Params returns the flow's parameters.
func (c ConditionalFlow) Params() []*graph.Param { return c.Flow.Params() }

// Split returns the x and context columns of xc (views, not copies).
func (c ConditionalFlow) Split(xc *mat.Dense) (x, ctx *mat.Dense) {
	n, w := xc.Dims()
	if w != c.Width() {
		panic(fmt.Sprintf("distributions: rows have %d columns, the conditional flow reads %d", w, c.Width()))
	}
	d := c.Flow.Dim()
	return xc.Slice(0, n, 0, d).(*mat.Dense), xc.Slice(0, n, d, w).(*mat.Dense)
}

// LogProbs returns log p(x | ctx) per row of xc = [x, ctx], numerically.
func (c ConditionalFlow) LogProbs(xc *mat.Dense) []float64 {
	x, ctx := c.Split(xc)
	return c.Flow.LogProbsContext(x, ctx)
}

// InitFromData initializes the flow's data-dependent layers (ActNorm) from [x, ctx] rows.
func (c ConditionalFlow) InitFromData(xc *mat.Dense) {
	x, ctx := c.Split(xc)
	c.Flow.InitFromDataContext(x, ctx)
}

// Concat returns [x, ctx] row by row (N×(D+C)).
func Concat(x, ctx *mat.Dense) *mat.Dense {
	n, d := x.Dims()
	r, c := ctx.Dims()
	if r != n {
		panic(fmt.Sprintf("distributions: %d data rows but %d context rows", n, r))
	}
	out := mat.NewDense(n, d+c, nil)
	out.Slice(0, n, 0, d).(*mat.Dense).Copy(x)
	out.Slice(0, n, d, d+c).(*mat.Dense).Copy(ctx)
	return out
}
