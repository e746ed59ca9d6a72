package graph

import (
	"fmt"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Hadamard returns a ⊙ b for two matrices of one shape, into a buffer kept across runs: the W ⊙ M
// node of a masked map (M a constant 0/1 mask, or a soft or gated mask node). Its gradients are
// ∂L/∂a = g ⊙ b and ∂L/∂b = g ⊙ a, each formed only when that operand is not a constant or data
// input of g, so a constant mask costs no backward work.
func (g *Graph) Hadamard(a, b *G.Node) *G.Node {
	return G.Must(G.ApplyOp(newHadamard(!g.noGrad[a], !g.noGrad[b]), a, b))
}

func newHadamard(gradA, gradB bool) hadamardOp {
	return hadamardOp{opBase: newOpBase("Hadamard"), grad: [2]bool{gradA, gradB}, out: new(*tensor.Dense)}
}

// hadamardOp is a ⊙ b; grad says which operands get a gradient.
type hadamardOp struct {
	opBase
	grad [2]bool
	out  **tensor.Dense
}

func (hadamardOp) Arity() int    { return 2 }
func (hadamardOp) Type() hm.Type { return hm.NewFnType(matType, matType, matType) }

func (hadamardOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	a, b, err := twoShapes(in)
	if err != nil {
		return nil, err
	}
	if !a.Eq(b) {
		return nil, fmt.Errorf("graph: Hadamard product of %v and %v", a, b)
	}
	return a, nil
}

func (o hadamardOp) Do(in ...G.Value) (G.Value, error) {
	ad, r, c, err := matrixData(in[0], "Hadamard operand")
	if err != nil {
		return nil, err
	}
	bd, err := vectorData(in[1], r*c, "Hadamard operand")
	if err != nil {
		return nil, err
	}
	out := buffer(o.out, r, c)
	od := out.Data().([]float64)
	for i, v := range ad[:len(od)] {
		od[i] = v * bd[i]
	}
	return out, nil
}

func (o hadamardOp) DiffWRT(int) []bool { return o.grad[:] }

func (o hadamardOp) SymDiff(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	gs := make(G.Nodes, 2)
	for i, need := range o.grad {
		if !need {
			continue
		}
		var err error
		if gs[i], err = G.ApplyOp(newHadamard(false, false), grad, in[1-i]); err != nil {
			return nil, err
		}
	}
	return gs, nil
}
