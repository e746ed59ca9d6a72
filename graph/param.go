package graph

import (
	"fmt"
	"sync/atomic"

	"gonum.org/v1/gonum/mat"
	"gorgonia.org/tensor"
)

// Param is a learnable float64 array whose memory is shared by gorgonia (T), gonum (Mat) and the
// raw slice (Data). Shape is [rows, cols] for a matrix and [n] for a vector.
//
// Version counts the writes to the values: whoever writes them through Data, Mat, Vec or T (an
// optimizer step, restoring a checkpoint, a data-dependent initialization) calls Touch afterwards,
// so that values derived from the parameter and cached (the masked weights of layers.Net) are
// recomputed. A Param must not be copied once in use (use the pointer).
type Param struct {
	Name    string
	T       *tensor.Dense
	version atomic.Uint64
}

// NewParam returns a parameter of the given shape backed by data (not copied). data may be nil,
// in which case a zero array is allocated. It panics when len(data) does not match the shape.
func NewParam(name string, data []float64, shape ...int) *Param {
	n := 1
	for _, s := range shape {
		n *= s
	}
	if data == nil {
		data = make([]float64, n)
	}
	if len(data) != n {
		panic(fmt.Sprintf("graph: param %s: %d values for shape %v", name, len(data), shape))
	}
	return &Param{Name: name, T: tensor.New(tensor.WithShape(shape...), tensor.WithBacking(data))}
}

// NewMatrix returns a rows×cols parameter sharing m's memory: m must be a contiguous *mat.Dense
// (its stride equal to its column count).
func NewMatrix(name string, m *mat.Dense) *Param {
	raw := m.RawMatrix()
	if raw.Stride != raw.Cols {
		panic("graph: NewMatrix needs a contiguous matrix")
	}
	return NewParam(name, raw.Data[:raw.Rows*raw.Cols], raw.Rows, raw.Cols)
}

// Version returns the number of Touch calls so far. A cache of values derived from p is valid
// while the version it was computed at is current; read the version before the values.
func (p *Param) Version() uint64 { return p.version.Load() }

// Touch records a write to the values: call it after writing Data(), Mat(), Vec() or T directly
// (writes by the constructor need none). It is safe for concurrent use; the write itself is not
// synchronized with concurrent readers.
func (p *Param) Touch() { p.version.Add(1) }

// Data returns the backing slice.
func (p *Param) Data() []float64 { return data[float64](p.T) }

// Shape returns a copy of the parameter's shape.
func (p *Param) Shape() []int { return append([]int(nil), p.T.Shape()...) }

// Len is the number of values.
func (p *Param) Len() int { return len(p.Data()) }

// Mat returns a gonum view of the parameter sharing its memory: rows×cols for a matrix, 1×n for a
// vector.
func (p *Param) Mat() *mat.Dense {
	s := p.T.Shape()
	if len(s) == 1 {
		return mat.NewDense(1, s[0], p.Data())
	}
	return mat.NewDense(s[0], s[1], p.Data())
}

// Vec returns the values as a gonum vector sharing memory.
func (p *Param) Vec() *mat.VecDense { return mat.NewVecDense(p.Len(), p.Data()) }

// CountParams returns the total number of scalar values in ps.
func CountParams(ps []*Param) int {
	n := 0
	for _, p := range ps {
		n += p.Len()
	}
	return n
}
