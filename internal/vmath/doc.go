// Package vmath evaluates exp, tanh and ReLU (and ReLU's gradient) over slices, four float64 (or
// eight float32) values at a time with AVX2 and FMA, bit for bit equal to the scalar functions they
// replace: math.Exp, math.Tanh, graph.ReLUValue and graph.ReLUGradValue; and an Adam step.
//
// math.Exp on amd64 is Shibata's method (math/exp_amd64.s, "Efficient evaluation methods of
// elementary functions suitable for SIMD computation", ISC 2010): an argument reduction by
// k·ln 2, a Taylor polynomial of x/16 and four squarings, all of it branch-free and written for
// SIMD; the scalar code runs it one lane at a time. Exp runs the same operations, in the same
// order and with the same fused multiply-adds, on four lanes, so the results are the same bits.
// A group of four with a lane that math.Exp treats specially (NaN, ±Inf, an overflow, a
// subnormal or zero result) is handed to math.Exp. Tanh is math.Tanh's branches (a rational
// function below 0.625, 1 − 2/(exp(2|x|) + 1) above, ±1 beyond 44) computed on all four lanes and
// blended, with the same operations as the compiled Go code. ReLU and ReLUGrad are comparisons
// and masks. AdamStep is trainer's Adam update (a square root and a division per weight), every
// operation rounded on its own as in the scalar loop.
//
// On CPUs without AVX2+FMA, on other architectures and with the build tag noasm, all of them are
// plain loops. Packages layers and graph use them for the affine map's soft clamp C·tanh(s/C) and
// exp(±s) (numeric paths and the fused training op) and for the activations and ReLU's gradient;
// results are unchanged, only faster (BenchmarkExp, BenchmarkTanh, BenchmarkReLU).
package vmath
