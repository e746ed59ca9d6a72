package graph

import (
	"math/rand"
	"testing"

	G "gorgonia.org/gorgonia"
)

// BenchmarkHadamardSpans: W ⊙ M of a 512×512 MADE mask (62 degrees), whole (Hadamard), on the
// mask's support (HadamardSpans), and as W copied on the support (OnSpans), forward only.
func BenchmarkHadamardSpans(b *testing.B) {
	m := triangular(512, 512, 62, false)
	for _, name := range []string{"whole", "spans", "copy"} {
		b.Run(name, func(b *testing.B) {
			fill := normals(rand.New(rand.NewSource(1)))
			w := NewParam("w", fill(512*512), 512, 512)
			g := New()
			g.Restrict(w, m)
			var z *G.Node
			switch name {
			case "whole":
				z = g.Hadamard(g.Param(w), g.Const(m))
			case "spans":
				z = g.HadamardSpans(g.Param(w), g.Const(m), g.Spans(w))
			default:
				z = g.OnSpans(g.Param(w), g.Spans(w))
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
