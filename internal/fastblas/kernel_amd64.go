//go:build !noasm

package fastblas

import (
	"os"

	"golang.org/x/sys/cpu"
)

//go:generate go test -run TestKernelsGenerated -update

// hasKernel: the AVX2+FMA micro-kernels can run on this CPU.
var hasKernel = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// hasZMM: so can the AVX-512 ones, and FASTBLAS_KERNEL is not "avx2".
var hasZMM = hasKernel && cpu.X86.HasAVX512F && os.Getenv("FASTBLAS_KERNEL") != "avx2"

// kern4x8 computes C[0:4, 0:8] += alpha·A[0:4, 0:k]·B[0:k, 0:8] with A[i, p] at a[i·lda + p·aps],
// then the same for the next 4 rows of A and C, tiles ≥ 1 times in all; with set, C = alpha·A·B
// instead (C is not read: a product with β = 0 needs no clearing first). The other kernels take
// tiles and set alike. The kernels and the packing routines are in gemm_amd64.s, which
// kerngen_test.go writes.
//
//go:noescape
func kern4x8(k int, a *float64, lda, aps int, b *float64, ldb int, c *float64, ldc int, alpha float64, tiles int, set bool)

// kern4x16s computes C[0:4, 0:16] += alpha·A[0:4, 0:k]·B[0:k, 0:16] in float32, A as in kern4x8,
// tiles ≥ 1 times down A and C as kern4x8.
//
//go:noescape
func kern4x16s(k int, a *float32, lda, aps int, b *float32, ldb int, c *float32, ldc int, alpha float32, tiles int, set bool)

// kern6x16s computes C[0:6, 0:16] += alpha·A[0:6, 0:k]·B[0:k, 0:16] in float32, A as in kern4x8,
// tiles ≥ 1 times down A and C as kern4x8.
//
//go:noescape
func kern6x16s(k int, a *float32, lda, aps int, b *float32, ldb int, c *float32, ldc int, alpha float32, tiles int, set bool)

// kern6x8 computes C[0:6, 0:8] += alpha·A[0:6, 0:k]·B[0:k, 0:8] in float64, A as in kern4x8,
// tiles ≥ 1 times down A and C as kern4x8.
//
//go:noescape
func kern6x8(k int, a *float64, lda, aps int, b *float64, ldb int, c *float64, ldc int, alpha float64, tiles int, set bool)

// kern6x4 computes C[0:6, 0:4] += alpha·A[0:6, 0:k]·B[0:k, 0:4] in float64, A, tiles and set as
// in kern6x8.
//
//go:noescape
func kern6x4(k int, a *float64, lda, aps int, b *float64, ldb int, c *float64, ldc int, alpha float64, tiles int, set bool)

// pack8 copies k rows of 8 float64 from src (stride ld) to dst, contiguous.
//
//go:noescape
func pack8(k int, dst, src *float64, ld int)

// pack16s copies k rows of 16 float32 from src (stride ld) to dst, contiguous.
//
//go:noescape
func pack16s(k int, dst, src *float32, ld int)

// transpose8x4 writes the transpose of the (8·r8)×(4·c4) matrix src (stride ld) to dst (stride
// ldd).
//
//go:noescape
func transpose8x4(dst, src *float64, r8, c4, ld, ldd int)

// transpose8x8s writes the transpose of the (8·r8)×(8·c8) float32 matrix src (stride ld) to dst
// (stride ldd).
//
//go:noescape
func transpose8x8s(dst, src *float32, r8, c8, ld, ldd int)

// kernz8x16 is kern6x8 on 8 rows and 16 columns of float64 (2 ZMM a row, sixteen accumulators);
// kernz4x16 its 4-row edge and kernz8x8 its half (1 ZMM a row), each as kern6x8 in arguments,
// tiles and set. kernz8x32s, kernz4x32s and kernz8x16s are the same in float32.
//
//go:noescape
func kernz8x16(k int, a *float64, lda, aps int, b *float64, ldb int, c *float64, ldc int, alpha float64, tiles int, set bool)

//go:noescape
func kernz4x16(k int, a *float64, lda, aps int, b *float64, ldb int, c *float64, ldc int, alpha float64, tiles int, set bool)

//go:noescape
func kernz8x8(k int, a *float64, lda, aps int, b *float64, ldb int, c *float64, ldc int, alpha float64, tiles int, set bool)

//go:noescape
func kernz8x32s(k int, a *float32, lda, aps int, b *float32, ldb int, c *float32, ldc int, alpha float32, tiles int, set bool)

//go:noescape
func kernz4x32s(k int, a *float32, lda, aps int, b *float32, ldb int, c *float32, ldc int, alpha float32, tiles int, set bool)

//go:noescape
func kernz8x16s(k int, a *float32, lda, aps int, b *float32, ldb int, c *float32, ldc int, alpha float32, tiles int, set bool)

// packz16 copies k rows of 16 float64 from src (stride ld) to dst, contiguous; packz32s rows of
// 32 float32.
//
//go:noescape
func packz16(k int, dst, src *float64, ld int)

//go:noescape
func packz32s(k int, dst, src *float32, ld int)
