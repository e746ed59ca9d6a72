// Package vmath evaluates exp and tanh over slices of float64, four values at a time with AVX2
// and FMA, bit for bit equal to the standard library's math.Exp and math.Tanh on every input.
//
// math.Exp on amd64 is Shibata's method (math/exp_amd64.s, "Efficient evaluation methods of
// elementary functions suitable for SIMD computation", ISC 2010): an argument reduction by
// k·ln 2, a Taylor polynomial of x/16 and four squarings, all of it branch-free and written for
// SIMD; the scalar code runs it one lane at a time. Exp runs the same operations, in the same
// order and with the same fused multiply-adds, on four lanes, so the results are the same bits.
// A group of four with a lane that math.Exp treats specially (NaN, ±Inf, an overflow, a
// subnormal or zero result) is handed to math.Exp. Tanh is math.Tanh's branches (a rational
// function below 0.625, 1 − 2/(exp(2|x|) + 1) above, ±1 beyond 44) computed on all four lanes and
// blended, with the same operations as the compiled Go code (which does not fuse them at the
// default GOAMD64=v1).
//
// On CPUs without AVX2+FMA, on other architectures and with the build tag noasm, both are plain
// loops over math.Exp and math.Tanh. The numeric paths of package layers use them where they
// evaluate many exponentials (the affine map's exp(±s), its soft clamp C·tanh(s/C), tanh and
// sigmoid activations); results are unchanged, only faster (BenchmarkExp, BenchmarkTanh).
package vmath
