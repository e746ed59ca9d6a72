//go:build !amd64 || noasm

package fastblas

const hasKernel = false

func kern4x8(k int, a *float64, lda, aps int, b *float64, ldb int, c *float64, ldc int, alpha float64) {
	panic("fastblas: no kernel on this platform")
}
