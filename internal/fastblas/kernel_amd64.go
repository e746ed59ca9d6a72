//go:build !noasm

package fastblas

import "golang.org/x/sys/cpu"

// hasKernel: the AVX2+FMA micro-kernel can run on this CPU.
var hasKernel = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// kern4x8 computes C[0:4, 0:8] += alpha·A[0:4, 0:k]·B[0:k, 0:8] with A[i, p] at a[i·lda + p·aps]
// (kernel_amd64.s).
//
//go:noescape
func kern4x8(k int, a *float64, lda, aps int, b *float64, ldb int, c *float64, ldc int, alpha float64)
