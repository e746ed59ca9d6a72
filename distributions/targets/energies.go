package targets

import "math"

// The four 2-D energies of Rezende & Mohamed (2015, Table 1), p̃(z) = exp(−U(z)), with
// w1 = sin(2πz1/4), w2 = 3 exp(−½((z1−1)/0.6)²), w3 = 3σ((z1−1)/0.3):
//
//	U1 = ½((‖z‖−2)/0.4)² − ln(e^{−½((z1−2)/0.6)²} + e^{−½((z1+2)/0.6)²})
//	U2 = ½((z2−w1)/0.4)²
//	U3 = −ln(e^{−½((z2−w1)/0.35)²} + e^{−½((z2−w1+w2)/0.35)²})
//	U4 = −ln(e^{−½((z2−w1)/0.4)²} + e^{−½((z2−w1+w3)/0.35)²})
//
// U2–U4 do not decay along z1 (their integral is infinite); the paper shows them on [−4, 4]².
// Here they get a soft wall, U + (z1/4)⁸, so that Z is finite and the density is the paper's
// inside the square.
func init() {
	wall := func(a alg, z1 val) val { return a.square(a.square(a.square(a.scale(z1, 0.25)))) }
	w1 := func(a alg, z1 val) val { return a.sin(a.scale(z1, 2*math.Pi/4)) }
	register(Target{Name: "u1", Dim: 2, LogZ: math.NaN(), About: "Rezende & Mohamed's U1: a ring of radius 2 cut by two modes",
		formula: func(a alg) val {
			z1, z2 := a.col(0), a.col(1)
			r := a.sqrt(a.add(a.square(z1), a.square(z2)))
			return a.add(gauss(a, r, 2, 0.4), a.lse(gauss(a, z1, 2, 0.6), gauss(a, z1, -2, 0.6)))
		}})
	register(Target{Name: "u2", Dim: 2, LogZ: math.NaN(), About: "Rezende & Mohamed's U2: a sine wave (soft wall at |z1| ≈ 4)",
		formula: func(a alg) val {
			z1, z2 := a.col(0), a.col(1)
			return a.sub(gauss(a, a.sub(z2, w1(a, z1)), 0, 0.4), wall(a, z1))
		}})
	register(Target{Name: "u3", Dim: 2, LogZ: math.NaN(), About: "Rezende & Mohamed's U3: a sine wave and a bump below it (soft wall at |z1| ≈ 4)",
		formula: func(a alg) val {
			z1, z2 := a.col(0), a.col(1)
			d := a.sub(z2, w1(a, z1))
			w2 := a.scale(a.exp(gauss(a, z1, 1, 0.6)), 3)
			return a.sub(a.lse(gauss(a, d, 0, 0.35), gauss(a, a.add(d, w2), 0, 0.35)), wall(a, z1))
		}})
	register(Target{Name: "u4", Dim: 2, LogZ: math.NaN(), About: "Rezende & Mohamed's U4: a sine wave and a step below it (soft wall at |z1| ≈ 4)",
		formula: func(a alg) val {
			z1, z2 := a.col(0), a.col(1)
			d := a.sub(z2, w1(a, z1))
			w3 := a.scale(a.sigmoid(a.scale(a.shift(z1, -1), 1/0.3)), 3)
			return a.sub(a.lse(gauss(a, d, 0, 0.4), gauss(a, a.add(d, w3), 0, 0.35)), wall(a, z1))
		}})
}
