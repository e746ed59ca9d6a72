//go:build !noasm

package vmath

import "golang.org/x/sys/cpu"

// hasAsm: the AVX2+FMA kernels can run on this CPU (math.Exp then takes its FMA path too, which
// the kernels reproduce).
var hasAsm = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// expAVX2 sets dst[i] = math.Exp(x[i]) for i < n (n a multiple of 4), four at a time, and returns
// n, or the index of the first group of four with a lane math.Exp treats specially (then dst from
// there on is not written).
//
//go:noescape
func expAVX2(dst, x *float64, n int, tab *[4*nConst + 4]float64) int

// tanhAVX2 sets dst[i] = math.Tanh(x[i]) for i < n (n a multiple of 4).
//
//go:noescape
func tanhAVX2(dst, x *float64, n int, tab *[4*nConst + 4]float64)

// reluAVX2 sets dst[i] = relu(x[i]) for i < n (n a multiple of 4), NaN kept, +0 for x <= 0.
//
//go:noescape
func reluAVX2(dst, x *float64, n int)

// reluGradAVX2 sets dst[i] to gr[i]·[a[i] > 0] for i < n (n a multiple of 4), a[i] when it is
// NaN; dst may be gr.
//
//go:noescape
func reluGradAVX2(dst, gr, a *float64, n int)

// relu32AVX2 is reluAVX2 in float32 (n a multiple of 8).
//
//go:noescape
func relu32AVX2(dst, x *float32, n int)

// reluGrad32AVX2 is reluGradAVX2 in float32 (n a multiple of 8).
//
//go:noescape
func reluGrad32AVX2(dst, gr, a *float32, n int)

// adamAVX2 is AdamStep on n values (a multiple of 4) with float64 gradients.
//
//go:noescape
func adamAVX2(n int, w, gr, m, v *float64, c *adamConsts)

// adam32AVX2 is AdamStep on n values (a multiple of 4) with float32 gradients, and with a
// non-nil w32 AdamStepTo32's float32 copy of the new weights.
//
//go:noescape
func adam32AVX2(n int, w *float64, gr *float32, m, v *float64, c *adamConsts, w32 *float32)

// sumSquaresAVX2 is SumSquares' sixteen sums and their pairwise total (n a multiple of 16, > 0).
//
//go:noescape
func sumSquaresAVX2(x *float64, n int) float64

// sumSquares32AVX2 is sumSquaresAVX2 of float32 values, each widened to float64 first.
//
//go:noescape
func sumSquares32AVX2(x *float32, n int) float64

// addAVX2 sets dst[i] += x[i] for i < n (n a multiple of 4).
//
//go:noescape
func addAVX2(dst, x *float64, n int)

// add32AVX2 is addAVX2 in float32 (n a multiple of 8).
//
//go:noescape
func add32AVX2(dst, x *float32, n int)

// biasAVX2 sets each of the m rows x_r of n values (n a multiple of 4, stride ld) to x_r + b, or
// with relu to ReLU(x_r + b).
//
//go:noescape
func biasAVX2(x, b *float64, m, n, ld int, relu bool)

// bias32AVX2 is biasAVX2 in float32 (n a multiple of 8).
//
//go:noescape
func bias32AVX2(x, b *float32, m, n, ld int, relu bool)
