//go:build !amd64 || noasm

package vmath

const hasAsm = false

func expAVX2(dst, x *float64, n int, tab *[4*nConst + 4]float64) int {
	panic("vmath: no kernel on this platform")
}

func tanhAVX2(dst, x *float64, n int, tab *[4*nConst + 4]float64) {
	panic("vmath: no kernel on this platform")
}

func reluAVX2(dst, x *float64, n int) { panic("vmath: no kernel on this platform") }

func reluGradAVX2(dst, gr, a *float64, n int) { panic("vmath: no kernel on this platform") }

func relu32AVX2(dst, x *float32, n int) { panic("vmath: no kernel on this platform") }

func reluGrad32AVX2(dst, gr, a *float32, n int) { panic("vmath: no kernel on this platform") }

func adamAVX2(n int, w, gr, m, v *float64, c *adamConsts) { panic("vmath: no kernel on this platform") }

func adam32AVX2(n int, w *float64, gr *float32, m, v *float64, c *adamConsts, w32 *float32) {
	panic("vmath: no kernel on this platform")
}

func sumSquaresAVX2(x *float64, n int) float64 { panic("vmath: no kernel on this platform") }

func sumSquares32AVX2(x *float32, n int) float64 { panic("vmath: no kernel on this platform") }

func addAVX2(dst, x *float64, n int) { panic("vmath: no kernel on this platform") }

func add32AVX2(dst, x *float32, n int) { panic("vmath: no kernel on this platform") }

func biasAVX2(x, b *float64, m, n, ld int, relu bool) { panic("vmath: no kernel on this platform") }

func bias32AVX2(x, b *float32, m, n, ld int, relu bool) { panic("vmath: no kernel on this platform") }
