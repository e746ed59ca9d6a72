package graph

import (
	"math/rand"
	"testing"

	G "gorgonia.org/gorgonia"
)

// BenchmarkHadamardSpans: W ⊙ M of a 512×512 MADE mask (62 degrees), whole (Hadamard) and on the
// mask's support (HadamardSpans), forward only.
func BenchmarkHadamardSpans(b *testing.B) {
	m := triangular(512, 512, 62, false)
	for _, spans := range []bool{false, true} {
		name := "whole"
		if spans {
			name = "spans"
		}
		b.Run(name, func(b *testing.B) {
			fill := normals(rand.New(rand.NewSource(1)))
			w := NewParam("w", fill(512*512), 512, 512)
			g := New()
			g.Restrict(w, m)
			var z *G.Node
			if spans {
				z = g.HadamardSpans(g.Param(w), g.Const(m), g.Spans(w))
			} else {
				z = g.Hadamard(g.Param(w), g.Const(m))
			}
			_ = z
			vm := G.NewTapeMachine(g.ExprGraph)
			defer vm.Close()
			for b.Loop() {
				if err := vm.RunAll(); err != nil {
					b.Fatal(err)
				}
				vm.Reset()
			}
		})
	}
}
