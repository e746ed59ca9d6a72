package vmath

import "math"

// Exp sets dst[i] = math.Exp(x[i]) for every i < len(x) (the same bits); dst may be x. It panics
// if dst is shorter than x.
func Exp(dst, x []float64) {
	dst = dst[:len(x)]
	for len(x) >= 4 {
		done := 0
		if hasAsm {
			done = expAVX2(&dst[0], &x[0], len(x)&^3, &tab)
		}
		dst, x = dst[done:], x[done:]
		// the group at x[0:4] (when the kernel stopped there) or the tail
		for i := 0; i < 4 && i < len(x); i++ {
			dst[i] = math.Exp(x[i])
		}
		if len(x) < 4 {
			return
		}
		dst, x = dst[4:], x[4:]
	}
	for i, v := range x {
		dst[i] = math.Exp(v)
	}
}

// Tanh sets dst[i] = math.Tanh(x[i]) for every i < len(x) (the same bits); dst may be x. It panics
// if dst is shorter than x.
func Tanh(dst, x []float64) {
	dst = dst[:len(x)]
	n := 0
	if hasAsm {
		n = len(x) &^ 3
		if n > 0 {
			tanhAVX2(&dst[0], &x[0], n, &tab)
		}
	}
	for i := n; i < len(x); i++ {
		dst[i] = math.Tanh(x[i])
	}
}

// The constants of the kernels, each in four lanes (the layout kernel_amd64.s reads).
const (
	cLog2e = iota
	cLn2U
	cLn2L
	cSixteenth
	cP8 // Taylor coefficients of exp_amd64.s: 1/8!, …, 1/2, 1
	cP7
	cP6
	cP5
	cP4
	cP3
	cP2
	cP1
	cTwo
	cOne
	cOverflow
	cInf
	cAbs // the bits 0x7fff…, as a float64
	cSign
	cTanhP0
	cTanhP1
	cTanhP2
	cTanhQ0
	cTanhQ1
	cTanhQ2
	cTanhSmall // 0.625
	cTanhBig   // MAXLOG/2
	cExpCap    // the largest 2|x| whose exp is needed (2·cTanhBig and a little)
	nConst
)

// tab holds the constants, tab[4c:4c+4] the lanes of constant c, then 4 int32 lanes of 1023 and 4
// of 2047 (the exponent bias and the first overflowing biased exponent).
var tab = func() (t [4*nConst + 4]float64) {
	const maxLog = 8.8029691931113054295988e+01 // math/tanh.go's MAXLOG, log(2^127)
	v := [nConst]float64{
		cLog2e:     1.4426950408889634073599246810018920, // math/exp_amd64.s's constants
		cLn2U:      0.69314718055966295651160180568695068359375,
		cLn2L:      0.28235290563031577122588448175013436025525412068e-12,
		cSixteenth: 0.0625,
		cP8:        2.4801587301587301587e-5,
		cP7:        1.9841269841269841270e-4,
		cP6:        1.3888888888888888889e-3,
		cP5:        8.3333333333333333333e-3,
		cP4:        4.1666666666666666667e-2,
		cP3:        1.6666666666666666667e-1,
		cP2:        0.5,
		cP1:        1.0,
		cTwo:       2,
		cOne:       1,
		cOverflow:  7.09782712893384e+02,
		cInf:       math.Inf(1),
		cAbs:       math.Float64frombits(1<<63 - 1),
		cSign:      math.Float64frombits(1 << 63),
		cTanhP0:    -9.64399179425052238628e-1, // math/tanh.go's tanhP and tanhQ
		cTanhP1:    -9.92877231001918586564e1,
		cTanhP2:    -1.61468768441708447952e3,
		cTanhQ0:    1.12811678491632931402e2,
		cTanhQ1:    2.23548839060100448583e3,
		cTanhQ2:    4.84406305325125486048e3,
		cTanhSmall: 0.625,
		cTanhBig:   0.5 * maxLog,
		cExpCap:    maxLog + 0.5,
	}
	for c, x := range v {
		for l := range 4 {
			t[4*c+l] = x
		}
	}
	t[4*nConst] = math.Float64frombits(1023 | 1023<<32)
	t[4*nConst+1] = t[4*nConst]
	t[4*nConst+2] = math.Float64frombits(2047 | 2047<<32)
	t[4*nConst+3] = t[4*nConst+2]
	return t
}()

// ReLU sets dst[i] = max(x[i], 0) for every i < len(x), with NaN kept and +0 for −0 (as
// graph.ReLUValue: x when x > 0 or NaN, else +0); dst may be x. It panics if dst is shorter
// than x.
func ReLU[T float](dst, x []T) {
	dst = dst[:len(x)]
	n := lanes(dst, x, reluAVX2, relu32AVX2)
	for i := n; i < len(x); i++ {
		dst[i] = max(x[i], 0) // NaN kept; +0 for −0 (max(−0, +0) = +0)
	}
}

// ReLUGrad sets g[i] to g[i] when a[i] > 0, to +0 when a[i] <= 0 and to a[i] when it is NaN (as
// graph.ReLUGradValue), for every i < len(a): the gradient through a ReLU given its output a (a
// ReLU's output is positive exactly where its input is). It panics if g is shorter than a.
func ReLUGrad[T float](g, a []T) { ReLUGradTo(g, g, a) }

// ReLUGradTo is ReLUGrad writing to dst instead of g (dst may be g).
func ReLUGradTo[T float](dst, g, a []T) {
	dst, g = dst[:len(a)], g[:len(a)]
	n := 0
	if hasAsm {
		switch a := any(a).(type) {
		case []float64:
			if n = len(a) &^ 3; n > 0 {
				reluGradAVX2(&any(dst).([]float64)[0], &any(g).([]float64)[0], &a[0], n)
			}
		case []float32:
			if n = len(a) &^ 7; n > 0 {
				reluGrad32AVX2(&any(dst).([]float32)[0], &any(g).([]float32)[0], &a[0], n)
			}
		}
	}
	for i, v := range a[n:] {
		switch {
		case v > 0:
			dst[n+i] = g[n+i]
		case v <= 0:
			dst[n+i] = 0
		default:
			dst[n+i] = v
		}
	}
}

// Add sets dst[i] += x[i] for every i < len(x) (each sum rounded on its own, as the loop it
// replaces: a gradient's sum over rows, a residual's gradient). It panics if dst is shorter than x.
func Add[T float](dst, x []T) {
	dst = dst[:len(x)]
	n := lanes(dst, x, addAVX2, add32AVX2)
	for i := n; i < len(x); i++ {
		dst[i] += x[i]
	}
}

// AddRows adds the rows of x (len(x)/len(dst) rows of len(dst) values, row-major) to dst, one row
// after another: each value's sum in the order of the rows, rounded at every addition, as Add row
// by row; the bias gradient of a dense map. It panics if len(x) is not a multiple of len(dst).
func AddRows[T float](dst, x []T) {
	m := len(dst)
	if m == 0 {
		return
	}
	if len(x)%m != 0 {
		panic("vmath: AddRows of a slice that is not whole rows")
	}
	n := 0 // the values of a row the kernel adds
	if hasAsm {
		switch xs := any(x).(type) {
		case []float64:
			if n = m &^ 3; n > 0 {
				d := any(dst).([]float64)
				for r := 0; r < len(x); r += m {
					addAVX2(&d[0], &xs[r], n)
				}
			}
		case []float32:
			if n = m &^ 7; n > 0 {
				d := any(dst).([]float32)
				for r := 0; r < len(x); r += m {
					add32AVX2(&d[0], &xs[r], n)
				}
			}
		}
	}
	for r := 0; r < len(x) && n < m; r += m {
		for i := n; i < m; i++ {
			dst[i] += x[r+i]
		}
	}
}

// AddBias adds b to each of the rows rows of x, row r being x[r·ld : r·ld+len(b)], and with relu
// applies ReLU after (as ReLU: +0 for x ≤ 0, NaN kept): a dense map's bias and activation in one
// pass over its output, or over a block of its columns. It panics if x is too short.
func AddBias[T float](x []T, rows, ld int, b []T, relu bool) {
	n := len(b)
	if n == 0 || rows == 0 {
		return
	}
	_ = x[(rows-1)*ld+n-1]
	nv := 0
	if hasAsm {
		switch x := any(x).(type) {
		case []float64:
			if nv = n &^ 3; nv > 0 {
				biasAVX2(&x[0], &any(b).([]float64)[0], rows, nv, ld, relu)
			}
		case []float32:
			if nv = n &^ 7; nv > 0 {
				bias32AVX2(&x[0], &any(b).([]float32)[0], rows, nv, ld, relu)
			}
		}
	}
	for r := 0; r < rows && nv < n; r++ {
		row := x[r*ld+nv : r*ld+n]
		for i, v := range b[nv:] {
			row[i] += v
		}
		if relu {
			ReLU(row, row)
		}
	}
}

// lanes runs the kernel of x's type, k64 or k32, on the longest prefix of whole vectors (4 float64
// or 8 float32 values), with dst as its first argument, and returns the prefix's length (0 without
// the kernels). dst is as long as x. (ReLU's and Add's; ReLUGradTo has three operands.)
func lanes[T float](dst, x []T, k64 func(dst, x *float64, n int), k32 func(dst, x *float32, n int)) int {
	if !hasAsm {
		return 0
	}
	switch x := any(x).(type) {
	case []float64:
		if n := len(x) &^ 3; n > 0 {
			k64(&any(dst).([]float64)[0], &x[0], n)
			return n
		}
	case []float32:
		if n := len(x) &^ 7; n > 0 {
			k32(&any(dst).([]float32)[0], &x[0], n)
			return n
		}
	}
	return 0
}

// float is the element type of ReLU and ReLUGrad.
type float interface{ ~float32 | ~float64 }
