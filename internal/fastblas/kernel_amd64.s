//go:build !noasm

#include "textflag.h"

// Every hot loop starts at a 64-byte boundary (PCALIGN $64): otherwise where the linker puts a
// kernel decides how many 64-byte fetch windows its loop spans, and a change elsewhere in the
// package moved kern4x8's loop from 2 to 3 windows, and log-prob ran 10-20% slower in interleaved
// rounds until it was aligned.

// func kern4x8(k int, a *float64, lda, aps int, b *float64, ldb int, c *float64, ldc int, alpha float64, tiles int, set bool)
//
// C[0:4, 0:8] += alpha · A[0:4, 0:k] · B[0:k, 0:8] (B and C row-major, A[i, p] at a[i·lda + p·aps],
// so aps = 1 is a row-major A and lda = 1, aps = its stride a transposed one; strides in
// elements), with eight AVX2 accumulators (4 rows × 2 YMM) and fused multiply-adds; then the same
// for the next 4 rows of A and C, tiles times in all (one call for a column of tiles: the call
// and its arguments cost as much as a tile's products when k is small).
TEXT ·kern4x8(SB), NOSPLIT, $0-81
	MOVQ a+8(FP), SI
	MOVQ lda+16(FP), R8
	MOVQ aps+24(FP), R14
	MOVQ ldb+40(FP), R9
	MOVQ c+48(FP), DX
	MOVQ ldc+56(FP), R10
	MOVQ tiles+72(FP), BX
	SHLQ $3, R8
	SHLQ $3, R14
	SHLQ $3, R9
	SHLQ $3, R10
	VBROADCASTSD alpha+64(FP), Y14

tile:
	MOVQ k+0(FP), CX
	MOVQ b+32(FP), DI
	LEAQ (SI)(R8*1), R11
	LEAQ (R11)(R8*1), R12
	LEAQ (R12)(R8*1), R13
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	XORQ AX, AX

	PCALIGN $64

loop:
	TESTQ CX, CX
	JE    done
	VMOVUPD      (DI), Y8
	VMOVUPD      32(DI), Y9
	VBROADCASTSD (SI)(AX*1), Y10
	VFMADD231PD  Y8, Y10, Y0
	VFMADD231PD  Y9, Y10, Y1
	VBROADCASTSD (R11)(AX*1), Y11
	VFMADD231PD  Y8, Y11, Y2
	VFMADD231PD  Y9, Y11, Y3
	VBROADCASTSD (R12)(AX*1), Y12
	VFMADD231PD  Y8, Y12, Y4
	VFMADD231PD  Y9, Y12, Y5
	VBROADCASTSD (R13)(AX*1), Y13
	VFMADD231PD  Y8, Y13, Y6
	VFMADD231PD  Y9, Y13, Y7
	ADDQ         R14, AX
	ADDQ         R9, DI
	DECQ         CX
	JMP          loop

done:
	CMPB         set+80(FP), $0
	JNE          setx
	VMOVUPD      (DX), Y8
	VMOVUPD      32(DX), Y9
	VFMADD231PD  Y0, Y14, Y8
	VFMADD231PD  Y1, Y14, Y9
	VMOVUPD      Y8, (DX)
	VMOVUPD      Y9, 32(DX)
	ADDQ         R10, DX
	VMOVUPD      (DX), Y8
	VMOVUPD      32(DX), Y9
	VFMADD231PD  Y2, Y14, Y8
	VFMADD231PD  Y3, Y14, Y9
	VMOVUPD      Y8, (DX)
	VMOVUPD      Y9, 32(DX)
	ADDQ         R10, DX
	VMOVUPD      (DX), Y8
	VMOVUPD      32(DX), Y9
	VFMADD231PD  Y4, Y14, Y8
	VFMADD231PD  Y5, Y14, Y9
	VMOVUPD      Y8, (DX)
	VMOVUPD      Y9, 32(DX)
	ADDQ         R10, DX
	VMOVUPD      (DX), Y8
	VMOVUPD      32(DX), Y9
	VFMADD231PD  Y6, Y14, Y8
	VFMADD231PD  Y7, Y14, Y9
	VMOVUPD      Y8, (DX)
	VMOVUPD      Y9, 32(DX)
	ADDQ         R10, DX
nextx:
	LEAQ         (SI)(R8*4), SI
	DECQ         BX
	JNE          tile
	VZEROUPPER
	RET

setx: // C = alpha·A·B: the products only, C not read
	VMULPD       Y0, Y14, Y8
	VMULPD       Y1, Y14, Y9
	VMOVUPD      Y8, (DX)
	VMOVUPD      Y9, 32(DX)
	ADDQ         R10, DX
	VMULPD       Y2, Y14, Y8
	VMULPD       Y3, Y14, Y9
	VMOVUPD      Y8, (DX)
	VMOVUPD      Y9, 32(DX)
	ADDQ         R10, DX
	VMULPD       Y4, Y14, Y8
	VMULPD       Y5, Y14, Y9
	VMOVUPD      Y8, (DX)
	VMOVUPD      Y9, 32(DX)
	ADDQ         R10, DX
	VMULPD       Y6, Y14, Y8
	VMULPD       Y7, Y14, Y9
	VMOVUPD      Y8, (DX)
	VMOVUPD      Y9, 32(DX)
	ADDQ         R10, DX
	JMP          nextx

// func kern4x16s(k int, a *float32, lda, aps int, b *float32, ldb int, c *float32, ldc int, alpha float32, tiles int, set bool)
//
// kern4x8 for float32: C[0:4, 0:16] += alpha · A[0:4, 0:k] · B[0:k, 0:16], eight accumulators
// (4 rows × 2 YMM of 8 float32), tiles times down A and C: Sgemm's kernel for the last 4 rows
// (kern6x16s takes the rest).
TEXT ·kern4x16s(SB), NOSPLIT, $0-81
	MOVQ a+8(FP), SI
	MOVQ lda+16(FP), R8
	MOVQ aps+24(FP), R14
	MOVQ ldb+40(FP), R9
	MOVQ c+48(FP), DX
	MOVQ ldc+56(FP), R10
	MOVQ tiles+72(FP), BX
	SHLQ $2, R8
	SHLQ $2, R14
	SHLQ $2, R9
	SHLQ $2, R10
	VBROADCASTSS alpha+64(FP), Y14

tile4s:
	MOVQ k+0(FP), CX
	MOVQ b+32(FP), DI
	LEAQ (SI)(R8*1), R11
	LEAQ (R11)(R8*1), R12
	LEAQ (R12)(R8*1), R13
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	XORQ AX, AX

	PCALIGN $64

loop4s:
	TESTQ CX, CX
	JE    done4s
	VMOVUPS      (DI), Y8
	VMOVUPS      32(DI), Y9
	VBROADCASTSS (SI)(AX*1), Y10
	VFMADD231PS  Y8, Y10, Y0
	VFMADD231PS  Y9, Y10, Y1
	VBROADCASTSS (R11)(AX*1), Y11
	VFMADD231PS  Y8, Y11, Y2
	VFMADD231PS  Y9, Y11, Y3
	VBROADCASTSS (R12)(AX*1), Y12
	VFMADD231PS  Y8, Y12, Y4
	VFMADD231PS  Y9, Y12, Y5
	VBROADCASTSS (R13)(AX*1), Y13
	VFMADD231PS  Y8, Y13, Y6
	VFMADD231PS  Y9, Y13, Y7
	ADDQ         R14, AX
	ADDQ         R9, DI
	DECQ         CX
	JMP          loop4s

done4s:
	CMPB         set+80(FP), $0
	JNE          set4sx
	VMOVUPS      (DX), Y8
	VMOVUPS      32(DX), Y9
	VFMADD231PS  Y0, Y14, Y8
	VFMADD231PS  Y1, Y14, Y9
	VMOVUPS      Y8, (DX)
	VMOVUPS      Y9, 32(DX)
	ADDQ         R10, DX
	VMOVUPS      (DX), Y8
	VMOVUPS      32(DX), Y9
	VFMADD231PS  Y2, Y14, Y8
	VFMADD231PS  Y3, Y14, Y9
	VMOVUPS      Y8, (DX)
	VMOVUPS      Y9, 32(DX)
	ADDQ         R10, DX
	VMOVUPS      (DX), Y8
	VMOVUPS      32(DX), Y9
	VFMADD231PS  Y4, Y14, Y8
	VFMADD231PS  Y5, Y14, Y9
	VMOVUPS      Y8, (DX)
	VMOVUPS      Y9, 32(DX)
	ADDQ         R10, DX
	VMOVUPS      (DX), Y8
	VMOVUPS      32(DX), Y9
	VFMADD231PS  Y6, Y14, Y8
	VFMADD231PS  Y7, Y14, Y9
	VMOVUPS      Y8, (DX)
	VMOVUPS      Y9, 32(DX)
	ADDQ         R10, DX
next4sx:
	LEAQ         (SI)(R8*4), SI
	DECQ         BX
	JNE          tile4s
	VZEROUPPER
	RET

set4sx: // C = alpha·A·B: the products only, C not read
	VMULPS       Y0, Y14, Y8
	VMULPS       Y1, Y14, Y9
	VMOVUPS      Y8, (DX)
	VMOVUPS      Y9, 32(DX)
	ADDQ         R10, DX
	VMULPS       Y2, Y14, Y8
	VMULPS       Y3, Y14, Y9
	VMOVUPS      Y8, (DX)
	VMOVUPS      Y9, 32(DX)
	ADDQ         R10, DX
	VMULPS       Y4, Y14, Y8
	VMULPS       Y5, Y14, Y9
	VMOVUPS      Y8, (DX)
	VMOVUPS      Y9, 32(DX)
	ADDQ         R10, DX
	VMULPS       Y6, Y14, Y8
	VMULPS       Y7, Y14, Y9
	VMOVUPS      Y8, (DX)
	VMOVUPS      Y9, 32(DX)
	ADDQ         R10, DX
	JMP          next4sx

// func kern6x16s(k int, a *float32, lda, aps int, b *float32, ldb int, c *float32, ldc int, alpha float32, tiles int, set bool)
//
// C[0:6, 0:16] += alpha · A[0:6, 0:k] · B[0:k, 0:16], twelve accumulators (6 rows × 2 YMM): 8
// loads for 12 multiply-adds per step of p, against 6 for 8 in kern4x16s. Rows 0-1 are read at
// SI, 2-3 at R11, 4-5 at R12 (the odd one through the index lda), the three pointers stepping by
// aps. Then the same for the next 6 rows of A and C, tiles times in all (R13: the tile's A).
TEXT ·kern6x16s(SB), NOSPLIT, $0-81
	MOVQ a+8(FP), R13
	MOVQ lda+16(FP), R8
	MOVQ aps+24(FP), R14
	MOVQ ldb+40(FP), R9
	MOVQ c+48(FP), DX
	MOVQ ldc+56(FP), R10
	MOVQ tiles+72(FP), BX
	SHLQ $2, R8
	SHLQ $2, R14
	SHLQ $2, R9
	SHLQ $2, R10

tile6:
	MOVQ k+0(FP), CX
	MOVQ b+32(FP), DI
	MOVQ R13, SI
	LEAQ (SI)(R8*2), R11
	LEAQ (R11)(R8*2), R12
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11
	TESTQ  CX, CX
	JE     done6

	PCALIGN $64

loop6:
	VMOVUPS      (DI), Y12
	VMOVUPS      32(DI), Y13
	VBROADCASTSS (SI), Y14
	VBROADCASTSS (SI)(R8*1), Y15
	VFMADD231PS  Y12, Y14, Y0
	VFMADD231PS  Y13, Y14, Y1
	VFMADD231PS  Y12, Y15, Y2
	VFMADD231PS  Y13, Y15, Y3
	VBROADCASTSS (R11), Y14
	VBROADCASTSS (R11)(R8*1), Y15
	VFMADD231PS  Y12, Y14, Y4
	VFMADD231PS  Y13, Y14, Y5
	VFMADD231PS  Y12, Y15, Y6
	VFMADD231PS  Y13, Y15, Y7
	VBROADCASTSS (R12), Y14
	VBROADCASTSS (R12)(R8*1), Y15
	VFMADD231PS  Y12, Y14, Y8
	VFMADD231PS  Y13, Y14, Y9
	VFMADD231PS  Y12, Y15, Y10
	VFMADD231PS  Y13, Y15, Y11
	ADDQ         R14, SI
	ADDQ         R14, R11
	ADDQ         R14, R12
	ADDQ         R9, DI
	DECQ         CX
	JNE          loop6

done6:
	VBROADCASTSS alpha+64(FP), Y14
	CMPB         set+80(FP), $0
	JNE          set6x
	VMOVUPS      (DX), Y12
	VMOVUPS      32(DX), Y13
	VFMADD231PS  Y0, Y14, Y12
	VFMADD231PS  Y1, Y14, Y13
	VMOVUPS      Y12, (DX)
	VMOVUPS      Y13, 32(DX)
	ADDQ         R10, DX
	VMOVUPS      (DX), Y12
	VMOVUPS      32(DX), Y13
	VFMADD231PS  Y2, Y14, Y12
	VFMADD231PS  Y3, Y14, Y13
	VMOVUPS      Y12, (DX)
	VMOVUPS      Y13, 32(DX)
	ADDQ         R10, DX
	VMOVUPS      (DX), Y12
	VMOVUPS      32(DX), Y13
	VFMADD231PS  Y4, Y14, Y12
	VFMADD231PS  Y5, Y14, Y13
	VMOVUPS      Y12, (DX)
	VMOVUPS      Y13, 32(DX)
	ADDQ         R10, DX
	VMOVUPS      (DX), Y12
	VMOVUPS      32(DX), Y13
	VFMADD231PS  Y6, Y14, Y12
	VFMADD231PS  Y7, Y14, Y13
	VMOVUPS      Y12, (DX)
	VMOVUPS      Y13, 32(DX)
	ADDQ         R10, DX
	VMOVUPS      (DX), Y12
	VMOVUPS      32(DX), Y13
	VFMADD231PS  Y8, Y14, Y12
	VFMADD231PS  Y9, Y14, Y13
	VMOVUPS      Y12, (DX)
	VMOVUPS      Y13, 32(DX)
	ADDQ         R10, DX
	VMOVUPS      (DX), Y12
	VMOVUPS      32(DX), Y13
	VFMADD231PS  Y10, Y14, Y12
	VFMADD231PS  Y11, Y14, Y13
	VMOVUPS      Y12, (DX)
	VMOVUPS      Y13, 32(DX)
	ADDQ         R10, DX
next6x:
	LEAQ         (R13)(R8*4), R13
	LEAQ         (R13)(R8*2), R13
	DECQ         BX
	JNE          tile6
	VZEROUPPER
	RET

set6x: // C = alpha·A·B: the products only, C not read
	VMULPS       Y0, Y14, Y12
	VMULPS       Y1, Y14, Y13
	VMOVUPS      Y12, (DX)
	VMOVUPS      Y13, 32(DX)
	ADDQ         R10, DX
	VMULPS       Y2, Y14, Y12
	VMULPS       Y3, Y14, Y13
	VMOVUPS      Y12, (DX)
	VMOVUPS      Y13, 32(DX)
	ADDQ         R10, DX
	VMULPS       Y4, Y14, Y12
	VMULPS       Y5, Y14, Y13
	VMOVUPS      Y12, (DX)
	VMOVUPS      Y13, 32(DX)
	ADDQ         R10, DX
	VMULPS       Y6, Y14, Y12
	VMULPS       Y7, Y14, Y13
	VMOVUPS      Y12, (DX)
	VMOVUPS      Y13, 32(DX)
	ADDQ         R10, DX
	VMULPS       Y8, Y14, Y12
	VMULPS       Y9, Y14, Y13
	VMOVUPS      Y12, (DX)
	VMOVUPS      Y13, 32(DX)
	ADDQ         R10, DX
	VMULPS       Y10, Y14, Y12
	VMULPS       Y11, Y14, Y13
	VMOVUPS      Y12, (DX)
	VMOVUPS      Y13, 32(DX)
	ADDQ         R10, DX
	JMP          next6x

// func kern6x8(k int, a *float64, lda, aps int, b *float64, ldb int, c *float64, ldc int, alpha float64, tiles int, set bool)
//
// C[0:6, 0:8] += alpha · A[0:6, 0:k] · B[0:k, 0:8] in float64, kern6x16s's loop: twelve
// accumulators (6 rows × 2 YMM of 4 float64), 8 loads for 12 multiply-adds per step of p. Rows 0-1 are read at
// SI, 2-3 at R11, 4-5 at R12 (the odd one through the index lda), the three pointers stepping by
// aps. Then the same for the next 6 rows of A and C, tiles times in all (R13: the tile's A).
TEXT ·kern6x8(SB), NOSPLIT, $0-81
	MOVQ a+8(FP), R13
	MOVQ lda+16(FP), R8
	MOVQ aps+24(FP), R14
	MOVQ ldb+40(FP), R9
	MOVQ c+48(FP), DX
	MOVQ ldc+56(FP), R10
	MOVQ tiles+72(FP), BX
	SHLQ $3, R8
	SHLQ $3, R14
	SHLQ $3, R9
	SHLQ $3, R10

tile6d:
	MOVQ k+0(FP), CX
	MOVQ b+32(FP), DI
	MOVQ R13, SI
	LEAQ (SI)(R8*2), R11
	LEAQ (R11)(R8*2), R12
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	VXORPD Y8, Y8, Y8
	VXORPD Y9, Y9, Y9
	VXORPD Y10, Y10, Y10
	VXORPD Y11, Y11, Y11
	TESTQ  CX, CX
	JE     done6d

	PCALIGN $64

loop6d:
	VMOVUPD      (DI), Y12
	VMOVUPD      32(DI), Y13
	VBROADCASTSD (SI), Y14
	VBROADCASTSD (SI)(R8*1), Y15
	VFMADD231PD  Y12, Y14, Y0
	VFMADD231PD  Y13, Y14, Y1
	VFMADD231PD  Y12, Y15, Y2
	VFMADD231PD  Y13, Y15, Y3
	VBROADCASTSD (R11), Y14
	VBROADCASTSD (R11)(R8*1), Y15
	VFMADD231PD  Y12, Y14, Y4
	VFMADD231PD  Y13, Y14, Y5
	VFMADD231PD  Y12, Y15, Y6
	VFMADD231PD  Y13, Y15, Y7
	VBROADCASTSD (R12), Y14
	VBROADCASTSD (R12)(R8*1), Y15
	VFMADD231PD  Y12, Y14, Y8
	VFMADD231PD  Y13, Y14, Y9
	VFMADD231PD  Y12, Y15, Y10
	VFMADD231PD  Y13, Y15, Y11
	ADDQ         R14, SI
	ADDQ         R14, R11
	ADDQ         R14, R12
	ADDQ         R9, DI
	DECQ         CX
	JNE          loop6d

done6d:
	VBROADCASTSD alpha+64(FP), Y14
	CMPB         set+80(FP), $0
	JNE          set6dx
	VMOVUPD      (DX), Y12
	VMOVUPD      32(DX), Y13
	VFMADD231PD  Y0, Y14, Y12
	VFMADD231PD  Y1, Y14, Y13
	VMOVUPD      Y12, (DX)
	VMOVUPD      Y13, 32(DX)
	ADDQ         R10, DX
	VMOVUPD      (DX), Y12
	VMOVUPD      32(DX), Y13
	VFMADD231PD  Y2, Y14, Y12
	VFMADD231PD  Y3, Y14, Y13
	VMOVUPD      Y12, (DX)
	VMOVUPD      Y13, 32(DX)
	ADDQ         R10, DX
	VMOVUPD      (DX), Y12
	VMOVUPD      32(DX), Y13
	VFMADD231PD  Y4, Y14, Y12
	VFMADD231PD  Y5, Y14, Y13
	VMOVUPD      Y12, (DX)
	VMOVUPD      Y13, 32(DX)
	ADDQ         R10, DX
	VMOVUPD      (DX), Y12
	VMOVUPD      32(DX), Y13
	VFMADD231PD  Y6, Y14, Y12
	VFMADD231PD  Y7, Y14, Y13
	VMOVUPD      Y12, (DX)
	VMOVUPD      Y13, 32(DX)
	ADDQ         R10, DX
	VMOVUPD      (DX), Y12
	VMOVUPD      32(DX), Y13
	VFMADD231PD  Y8, Y14, Y12
	VFMADD231PD  Y9, Y14, Y13
	VMOVUPD      Y12, (DX)
	VMOVUPD      Y13, 32(DX)
	ADDQ         R10, DX
	VMOVUPD      (DX), Y12
	VMOVUPD      32(DX), Y13
	VFMADD231PD  Y10, Y14, Y12
	VFMADD231PD  Y11, Y14, Y13
	VMOVUPD      Y12, (DX)
	VMOVUPD      Y13, 32(DX)
	ADDQ         R10, DX
next6dx:
	LEAQ         (R13)(R8*4), R13
	LEAQ         (R13)(R8*2), R13
	DECQ         BX
	JNE          tile6d
	VZEROUPPER
	RET

set6dx: // C = alpha·A·B: the products only, C not read
	VMULPD       Y0, Y14, Y12
	VMULPD       Y1, Y14, Y13
	VMOVUPD      Y12, (DX)
	VMOVUPD      Y13, 32(DX)
	ADDQ         R10, DX
	VMULPD       Y2, Y14, Y12
	VMULPD       Y3, Y14, Y13
	VMOVUPD      Y12, (DX)
	VMOVUPD      Y13, 32(DX)
	ADDQ         R10, DX
	VMULPD       Y4, Y14, Y12
	VMULPD       Y5, Y14, Y13
	VMOVUPD      Y12, (DX)
	VMOVUPD      Y13, 32(DX)
	ADDQ         R10, DX
	VMULPD       Y6, Y14, Y12
	VMULPD       Y7, Y14, Y13
	VMOVUPD      Y12, (DX)
	VMOVUPD      Y13, 32(DX)
	ADDQ         R10, DX
	VMULPD       Y8, Y14, Y12
	VMULPD       Y9, Y14, Y13
	VMOVUPD      Y12, (DX)
	VMOVUPD      Y13, 32(DX)
	ADDQ         R10, DX
	VMULPD       Y10, Y14, Y12
	VMULPD       Y11, Y14, Y13
	VMOVUPD      Y12, (DX)
	VMOVUPD      Y13, 32(DX)
	ADDQ         R10, DX
	JMP          next6dx

// func kern6x4(k int, a *float64, lda, aps int, b *float64, ldb int, c *float64, ldc int, alpha float64, tiles int, set bool)
//
// kern6x8 on half a panel: C[0:6, 0:4] += alpha · A[0:6, 0:k] · B[0:k, 0:4], six accumulators
// (one YMM a row), for an edge panel of at most 4 columns (the incremental inverse's s and t of
// one dimension are 2), which the 6×8 kernel would compute on as many zero columns again.
TEXT ·kern6x4(SB), NOSPLIT, $0-81
	MOVQ a+8(FP), R13
	MOVQ lda+16(FP), R8
	MOVQ aps+24(FP), R14
	MOVQ ldb+40(FP), R9
	MOVQ c+48(FP), DX
	MOVQ ldc+56(FP), R10
	MOVQ tiles+72(FP), BX
	SHLQ $3, R8
	SHLQ $3, R14
	SHLQ $3, R9
	SHLQ $3, R10

tile6h:
	MOVQ k+0(FP), CX
	MOVQ b+32(FP), DI
	MOVQ R13, SI
	LEAQ (SI)(R8*2), R11
	LEAQ (R11)(R8*2), R12
	VXORPD Y0, Y0, Y0
	VXORPD Y2, Y2, Y2
	VXORPD Y4, Y4, Y4
	VXORPD Y6, Y6, Y6
	VXORPD Y8, Y8, Y8
	VXORPD Y10, Y10, Y10
	TESTQ  CX, CX
	JE     done6h

	PCALIGN $64

loop6h:
	VMOVUPD      (DI), Y12
	VBROADCASTSD (SI), Y14
	VBROADCASTSD (SI)(R8*1), Y15
	VFMADD231PD  Y12, Y14, Y0
	VFMADD231PD  Y12, Y15, Y2
	VBROADCASTSD (R11), Y14
	VBROADCASTSD (R11)(R8*1), Y15
	VFMADD231PD  Y12, Y14, Y4
	VFMADD231PD  Y12, Y15, Y6
	VBROADCASTSD (R12), Y14
	VBROADCASTSD (R12)(R8*1), Y15
	VFMADD231PD  Y12, Y14, Y8
	VFMADD231PD  Y12, Y15, Y10
	ADDQ         R14, SI
	ADDQ         R14, R11
	ADDQ         R14, R12
	ADDQ         R9, DI
	DECQ         CX
	JNE          loop6h

done6h:
	VBROADCASTSD alpha+64(FP), Y14
	CMPB         set+80(FP), $0
	JNE          set6hx
	VMOVUPD      (DX), Y12
	VFMADD231PD  Y0, Y14, Y12
	VMOVUPD      Y12, (DX)
	ADDQ         R10, DX
	VMOVUPD      (DX), Y12
	VFMADD231PD  Y2, Y14, Y12
	VMOVUPD      Y12, (DX)
	ADDQ         R10, DX
	VMOVUPD      (DX), Y12
	VFMADD231PD  Y4, Y14, Y12
	VMOVUPD      Y12, (DX)
	ADDQ         R10, DX
	VMOVUPD      (DX), Y12
	VFMADD231PD  Y6, Y14, Y12
	VMOVUPD      Y12, (DX)
	ADDQ         R10, DX
	VMOVUPD      (DX), Y12
	VFMADD231PD  Y8, Y14, Y12
	VMOVUPD      Y12, (DX)
	ADDQ         R10, DX
	VMOVUPD      (DX), Y12
	VFMADD231PD  Y10, Y14, Y12
	VMOVUPD      Y12, (DX)
	ADDQ         R10, DX
next6hx:
	LEAQ         (R13)(R8*4), R13
	LEAQ         (R13)(R8*2), R13
	DECQ         BX
	JNE          tile6h
	VZEROUPPER
	RET

set6hx: // C = alpha·A·B: the products only, C not read
	VMULPD       Y0, Y14, Y12
	VMOVUPD      Y12, (DX)
	ADDQ         R10, DX
	VMULPD       Y2, Y14, Y12
	VMOVUPD      Y12, (DX)
	ADDQ         R10, DX
	VMULPD       Y4, Y14, Y12
	VMOVUPD      Y12, (DX)
	ADDQ         R10, DX
	VMULPD       Y6, Y14, Y12
	VMOVUPD      Y12, (DX)
	ADDQ         R10, DX
	VMULPD       Y8, Y14, Y12
	VMOVUPD      Y12, (DX)
	ADDQ         R10, DX
	VMULPD       Y10, Y14, Y12
	VMOVUPD      Y12, (DX)
	ADDQ         R10, DX
	JMP          next6hx

// func pack8(k int, dst, src *float64, ld int)
//
// Copies k rows of 8 float64 (one 64-byte line each) from src, stride ld elements, to dst,
// contiguous: a kc×8 panel of B.
TEXT ·pack8(SB), NOSPLIT, $0-32
	MOVQ k+0(FP), CX
	MOVQ dst+8(FP), DI
	MOVQ src+16(FP), SI
	MOVQ ld+24(FP), R8
	SHLQ $3, R8
	JMP  pack64B<>(SB)

// func pack16s(k int, dst, src *float32, ld int)
//
// pack8 for rows of 16 float32.
TEXT ·pack16s(SB), NOSPLIT, $0-32
	MOVQ k+0(FP), CX
	MOVQ dst+8(FP), DI
	MOVQ src+16(FP), SI
	MOVQ ld+24(FP), R8
	SHLQ $2, R8
	JMP  pack64B<>(SB)

// pack64B copies CX rows of 64 bytes from SI, stride R8 bytes, to DI, contiguous.
TEXT pack64B<>(SB), NOSPLIT|NOFRAME, $0
	TESTQ CX, CX
	JE    packdone

	PCALIGN $64

packloop:
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y1
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	ADDQ    R8, SI
	ADDQ    $64, DI
	DECQ    CX
	JNE     packloop

packdone:
	VZEROUPPER
	RET

// func transpose8x4(dst, src *float64, r8, c4, ld, ldd int)
//
// Writes the transpose of the (8·r8)×(4·c4) matrix src (stride ld) to dst (stride ldd): for each
// group of 8 source rows, sweeping 4 columns at a time, four 4×4 blocks are transposed in
// registers (unpack, then 128-bit lane permutes) and stored as 4 destination rows of 8 values,
// whole 64-byte lines; the 8 source lines of a step are read again, for their other half, by the
// next step, while still in L1.
TEXT ·transpose8x4(SB), NOSPLIT, $0-48
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ r8+16(FP), R8
	MOVQ c4+24(FP), R9
	MOVQ ld+32(FP), R10
	MOVQ ldd+40(FP), R11
	SHLQ $3, R10
	SHLQ $3, R11
	TESTQ R8, R8
	JE   tdone
	TESTQ R9, R9
	JE   tdone

trows:
	MOVQ SI, AX  // this row group's source, at column 0
	MOVQ DI, BX  // its destination, at row 0
	MOVQ R9, CX
	LEAQ (R10)(R10*2), R12 // 3·ld
	LEAQ (R11)(R11*2), R13 // 3·ldd

	PCALIGN $64

tcols:
	MOVQ    AX, DX
	VMOVUPD (DX), Y0
	VMOVUPD (DX)(R10*1), Y1
	VMOVUPD (DX)(R10*2), Y2
	VMOVUPD (DX)(R12*1), Y3
	LEAQ    (DX)(R10*4), DX
	VMOVUPD (DX), Y4
	VMOVUPD (DX)(R10*1), Y5
	VMOVUPD (DX)(R10*2), Y6
	VMOVUPD (DX)(R12*1), Y7
	VUNPCKLPD  Y1, Y0, Y8
	VUNPCKHPD  Y1, Y0, Y9
	VUNPCKLPD  Y3, Y2, Y10
	VUNPCKHPD  Y3, Y2, Y11
	VPERM2F128 $0x20, Y10, Y8, Y0
	VPERM2F128 $0x20, Y11, Y9, Y1
	VPERM2F128 $0x31, Y10, Y8, Y2
	VPERM2F128 $0x31, Y11, Y9, Y3
	VUNPCKLPD  Y5, Y4, Y12
	VUNPCKHPD  Y5, Y4, Y13
	VUNPCKLPD  Y7, Y6, Y14
	VUNPCKHPD  Y7, Y6, Y15
	VPERM2F128 $0x20, Y14, Y12, Y4
	VPERM2F128 $0x20, Y15, Y13, Y5
	VPERM2F128 $0x31, Y14, Y12, Y6
	VPERM2F128 $0x31, Y15, Y13, Y7
	VMOVUPD Y0, (BX)
	VMOVUPD Y4, 32(BX)
	VMOVUPD Y1, (BX)(R11*1)
	VMOVUPD Y5, 32(BX)(R11*1)
	VMOVUPD Y2, (BX)(R11*2)
	VMOVUPD Y6, 32(BX)(R11*2)
	VMOVUPD Y3, (BX)(R13*1)
	VMOVUPD Y7, 32(BX)(R13*1)
	ADDQ    $32, AX         // 4 source columns on
	LEAQ    (BX)(R11*4), BX // 4 destination rows on
	DECQ    CX
	JNE     tcols
	LEAQ    (SI)(R10*8), SI // 8 source rows on
	ADDQ    $64, DI         // 8 destination columns on
	DECQ    R8
	JNE     trows

tdone:
	VZEROUPPER
	RET

// func transpose8x8s(dst, src *float32, r8, c8, ld, ldd int)
//
// transpose8x4 in float32: the transpose of the (8·r8)×(8·c8) matrix src (stride ld) to dst
// (stride ldd), an 8×8 block a step (unpacks, shuffles and 128-bit lane permutes), 8 source rows
// swept 8 columns at a time.
TEXT ·transpose8x8s(SB), NOSPLIT, $0-48
	MOVQ  dst+0(FP), DI
	MOVQ  src+8(FP), SI
	MOVQ  r8+16(FP), R8
	MOVQ  c8+24(FP), R9
	MOVQ  ld+32(FP), R10
	MOVQ  ldd+40(FP), R11
	SHLQ  $2, R10
	SHLQ  $2, R11
	TESTQ R8, R8
	JE    t8done
	TESTQ R9, R9
	JE    t8done
	LEAQ  (R10)(R10*2), R12 // 3·ld
	LEAQ  (R11)(R11*2), R13 // 3·ldd

t8rows:
	MOVQ SI, AX
	MOVQ DI, BX
	MOVQ R9, CX

	PCALIGN $64

t8cols:
	MOVQ       AX, DX
	VMOVUPS    (DX), Y0
	VMOVUPS    (DX)(R10*1), Y1
	VMOVUPS    (DX)(R10*2), Y2
	VMOVUPS    (DX)(R12*1), Y3
	LEAQ       (DX)(R10*4), DX
	VMOVUPS    (DX), Y4
	VMOVUPS    (DX)(R10*1), Y5
	VMOVUPS    (DX)(R10*2), Y6
	VMOVUPS    (DX)(R12*1), Y7
	VUNPCKLPS  Y1, Y0, Y8
	VUNPCKHPS  Y1, Y0, Y9
	VUNPCKLPS  Y3, Y2, Y10
	VUNPCKHPS  Y3, Y2, Y11
	VUNPCKLPS  Y5, Y4, Y12
	VUNPCKHPS  Y5, Y4, Y13
	VUNPCKLPS  Y7, Y6, Y14
	VUNPCKHPS  Y7, Y6, Y15
	VSHUFPS    $0x44, Y10, Y8, Y0
	VSHUFPS    $0xEE, Y10, Y8, Y1
	VSHUFPS    $0x44, Y11, Y9, Y2
	VSHUFPS    $0xEE, Y11, Y9, Y3
	VSHUFPS    $0x44, Y14, Y12, Y4
	VSHUFPS    $0xEE, Y14, Y12, Y5
	VSHUFPS    $0x44, Y15, Y13, Y6
	VSHUFPS    $0xEE, Y15, Y13, Y7
	VPERM2F128 $0x20, Y4, Y0, Y8
	VPERM2F128 $0x20, Y5, Y1, Y9
	VPERM2F128 $0x20, Y6, Y2, Y10
	VPERM2F128 $0x20, Y7, Y3, Y11
	VPERM2F128 $0x31, Y4, Y0, Y12
	VPERM2F128 $0x31, Y5, Y1, Y13
	VPERM2F128 $0x31, Y6, Y2, Y14
	VPERM2F128 $0x31, Y7, Y3, Y15
	MOVQ       BX, DX
	VMOVUPS    Y8, (DX)
	VMOVUPS    Y9, (DX)(R11*1)
	VMOVUPS    Y10, (DX)(R11*2)
	VMOVUPS    Y11, (DX)(R13*1)
	LEAQ       (DX)(R11*4), DX
	VMOVUPS    Y12, (DX)
	VMOVUPS    Y13, (DX)(R11*1)
	VMOVUPS    Y14, (DX)(R11*2)
	VMOVUPS    Y15, (DX)(R13*1)
	ADDQ       $32, AX          // 8 source columns on
	LEAQ       (BX)(R11*8), BX  // 8 destination rows on
	DECQ       CX
	JNE        t8cols
	LEAQ       (SI)(R10*8), SI  // 8 source rows on
	ADDQ       $32, DI          // 8 destination columns on
	DECQ       R8
	JNE        t8rows

t8done:
	VZEROUPPER
	RET
