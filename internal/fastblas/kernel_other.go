//go:build !amd64 || noasm

package fastblas

const hasKernel, hasZMM = false, false

func kern4x8(k int, a *float64, lda, aps int, b *float64, ldb int, c *float64, ldc int, alpha float64, tiles int, set bool) {
	panic("fastblas: no kernel on this platform")
}

func kern4x16s(k int, a *float32, lda, aps int, b *float32, ldb int, c *float32, ldc int, alpha float32, tiles int, set bool) {
	panic("fastblas: no kernel on this platform")
}

func kern6x16s(k int, a *float32, lda, aps int, b *float32, ldb int, c *float32, ldc int, alpha float32, tiles int, set bool) {
	panic("fastblas: no kernel on this platform")
}

func pack8(k int, dst, src *float64, ld int) { panic("fastblas: no kernel on this platform") }

func pack16s(k int, dst, src *float32, ld int) { panic("fastblas: no kernel on this platform") }

func transpose8x4(dst, src *float64, r8, c4, ld, ldd int) {
	panic("fastblas: no kernel on this platform")
}

func transpose8x8s(dst, src *float32, r8, c8, ld, ldd int) {
	panic("fastblas: no kernel on this platform")
}

func kern6x8(k int, a *float64, lda, aps int, b *float64, ldb int, c *float64, ldc int, alpha float64, tiles int, set bool) {
	panic("fastblas: no kernel on this platform")
}

func kern6x4(k int, a *float64, lda, aps int, b *float64, ldb int, c *float64, ldc int, alpha float64, tiles int, set bool) {
	panic("fastblas: no kernel on this platform")
}

// The AVX-512 kernels are never called here either.
var (
	kernz8x16, kernz4x16, kernz8x8     = kern6x8, kern6x8, kern6x8
	kernz8x32s, kernz4x32s, kernz8x16s = kern6x16s, kern6x16s, kern6x16s
	packz16, packz32s                  = pack8, pack16s
)
