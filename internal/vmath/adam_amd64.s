//go:build !noasm

#include "textflag.h"

// Every hot loop starts at a 64-byte boundary (PCALIGN $64): otherwise where the linker puts a
// kernel decides how many 64-byte fetch windows its loop spans, and a change elsewhere in the
// package moved kern4x8's loop from 2 to 3 windows, and log-prob ran 10-20% slower in interleaved
// rounds until it was aligned.

// The Adam step of AdamStep on four lanes. c points at adamConsts: f 0, b1 8, omb1 16, b2 24,
// omb2 32, ic2 40, rate 48, eps 56, decay 64. In Go's operand order "VOP b, a, d" is d = a op b.
// Every operation is rounded on its own, in the order of adamScalar.

// func adamAVX2(n int, w, gr, m, v *float64, c *adamConsts)
TEXT ·adamAVX2(SB), NOSPLIT, $0-48
	MOVQ n+0(FP), CX
	MOVQ w+8(FP), DI
	MOVQ gr+16(FP), SI
	MOVQ m+24(FP), R8
	MOVQ v+32(FP), R9
	MOVQ c+40(FP), AX
	CALL adamConsts<>(SB)

	PCALIGN $64

adamloop:
	VMOVUPD (SI), Y0
	VMULPD  Y8, Y0, Y0  // gi = f·g
	CALL    adamLanes<>(SB)
	ADDQ    $32, SI
	SUBQ    $4, CX
	JNE     adamloop
	VZEROUPPER
	RET

// func adam32AVX2(n int, w *float64, gr *float32, m, v *float64, c *adamConsts, w32 *float32)
//
// The step with float32 gradients; when w32 is not nil it also stores the new weights rounded to
// float32 there (VCVTPD2PS rounds to nearest even under Go's MXCSR, as float32(x) does).
TEXT ·adam32AVX2(SB), NOSPLIT, $0-56
	MOVQ n+0(FP), CX
	MOVQ w+8(FP), DI
	MOVQ gr+16(FP), SI
	MOVQ m+24(FP), R8
	MOVQ v+32(FP), R9
	MOVQ c+40(FP), AX
	MOVQ w32+48(FP), R10
	CALL adamConsts<>(SB)

	PCALIGN $64

adam32loop:
	VCVTPS2PD  (SI), Y0 // float64(g), exact
	VMULPD     Y8, Y0, Y0
	CALL       adamLanes<>(SB)
	ADDQ       $16, SI
	TESTQ      R10, R10
	JE         adam32next
	VCVTPD2PSY Y3, X3 // Y3: the new w (adamLanes)
	VMOVUPS    X3, (R10)
	ADDQ       $16, R10

adam32next:
	SUBQ $4, CX
	JNE  adam32loop
	VZEROUPPER
	RET

// adamConsts broadcasts the constants at AX: Y8 f, Y9 b1, Y10 omb1, Y11 b2, Y12 omb2, Y13 ic2,
// Y14 rate, Y15 eps, Y6 decay.
TEXT adamConsts<>(SB), NOSPLIT|NOFRAME, $0
	VBROADCASTSD 0(AX), Y8
	VBROADCASTSD 8(AX), Y9
	VBROADCASTSD 16(AX), Y10
	VBROADCASTSD 24(AX), Y11
	VBROADCASTSD 32(AX), Y12
	VBROADCASTSD 40(AX), Y13
	VBROADCASTSD 48(AX), Y14
	VBROADCASTSD 56(AX), Y15
	VBROADCASTSD 64(AX), Y6
	RET

// adamLanes updates m (R8), v (R9) and w (DI) at four lanes from gi in Y0, leaves the new w in Y3
// and advances the three pointers.
TEXT adamLanes<>(SB), NOSPLIT|NOFRAME, $0
	VMOVUPD (R8), Y1
	VMULPD  Y9, Y1, Y1  // b1·m
	VMULPD  Y10, Y0, Y2 // omb1·gi
	VADDPD  Y2, Y1, Y1  // mi
	VMOVUPD Y1, (R8)
	VMOVUPD (R9), Y2
	VMULPD  Y11, Y2, Y2 // b2·v
	VMULPD  Y12, Y0, Y3 // omb2·gi
	VMULPD  Y0, Y3, Y3  // ·gi
	VADDPD  Y3, Y2, Y2  // vi
	VMOVUPD Y2, (R9)
	VMULPD  Y13, Y2, Y2 // vi·ic2
	VSQRTPD Y2, Y2
	VADDPD  Y15, Y2, Y2 // + eps
	VMULPD  Y14, Y1, Y1 // rate·mi
	VDIVPD  Y2, Y1, Y1  // (rate·mi)/(√ + eps)
	VMOVUPD (DI), Y3
	VMULPD  Y6, Y3, Y4  // decay·w
	VADDPD  Y4, Y1, Y1
	VSUBPD  Y1, Y3, Y3  // w − (… + decay·w)
	VMOVUPD Y3, (DI)
	ADDQ    $32, R8
	ADDQ    $32, R9
	ADDQ    $32, DI
	RET
