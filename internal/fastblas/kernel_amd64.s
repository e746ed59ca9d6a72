//go:build !noasm

#include "textflag.h"

// The transposes' block kernels; the GEMM kernels and packing routines are generated
// (gemm_amd64.s). Every hot loop starts at a 64-byte boundary (PCALIGN $64): otherwise where the
// linker puts a kernel decides how many 64-byte fetch windows its loop spans, and a change
// elsewhere in the package moved kern4x8's loop from 2 to 3 windows, and log-prob ran 10-20%
// slower in interleaved rounds until it was aligned.

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
