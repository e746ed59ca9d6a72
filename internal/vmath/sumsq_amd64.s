//go:build !noasm

#include "textflag.h"

// Sixteen running sums of squares in Y0–Y3 (lane j of Yk: the values i ≡ 4k+j mod 16), each
// square and addition rounded on its own (no fused multiply-adds: the bits of sumSquares16), then
// ((Y0 + Y1) + (Y2 + Y3)) lane by lane, lanes (0 + 2) and (1 + 3), and their sum.

// SUMSQTOTAL adds the sums in Y0–Y3, t0..t3 = (Y0 + Y1) + (Y2 + Y3), then (t0 + t2) + (t1 + t3),
// and returns it.
#define SUMSQTOTAL \
	VADDPD       Y1, Y0, Y0 \
	VADDPD       Y3, Y2, Y2 \
	VADDPD       Y2, Y0, Y0 \
	VEXTRACTF128 $1, Y0, X1 \
	VADDPD       X1, X0, X0 \
	VPERMILPD    $1, X0, X1 \
	VADDSD       X1, X0, X0 \
	VMOVSD       X0, ret+16(FP) \
	VZEROUPPER \
	RET

// func sumSquaresAVX2(x *float64, n int) float64
TEXT ·sumSquaresAVX2(SB), NOSPLIT, $0-24
	MOVQ   x+0(FP), SI
	MOVQ   n+8(FP), CX
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3

	PCALIGN $64

sumsqloop:
	VMOVUPD 0(SI), Y4
	VMOVUPD 32(SI), Y5
	VMOVUPD 64(SI), Y6
	VMOVUPD 96(SI), Y7
	VMULPD  Y4, Y4, Y4
	VMULPD  Y5, Y5, Y5
	VMULPD  Y6, Y6, Y6
	VMULPD  Y7, Y7, Y7
	VADDPD  Y4, Y0, Y0
	VADDPD  Y5, Y1, Y1
	VADDPD  Y6, Y2, Y2
	VADDPD  Y7, Y3, Y3
	ADDQ    $128, SI
	SUBQ    $16, CX
	JNE     sumsqloop
	SUMSQTOTAL

// func sumSquares32AVX2(x *float32, n int) float64
TEXT ·sumSquares32AVX2(SB), NOSPLIT, $0-24
	MOVQ   x+0(FP), SI
	MOVQ   n+8(FP), CX
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3

	PCALIGN $64

sumsq32loop:
	VCVTPS2PD 0(SI), Y4
	VCVTPS2PD 16(SI), Y5
	VCVTPS2PD 32(SI), Y6
	VCVTPS2PD 48(SI), Y7
	VMULPD    Y4, Y4, Y4
	VMULPD    Y5, Y5, Y5
	VMULPD    Y6, Y6, Y6
	VMULPD    Y7, Y7, Y7
	VADDPD    Y4, Y0, Y0
	VADDPD    Y5, Y1, Y1
	VADDPD    Y6, Y2, Y2
	VADDPD    Y7, Y3, Y3
	ADDQ      $64, SI
	SUBQ      $16, CX
	JNE       sumsq32loop
	SUMSQTOTAL

