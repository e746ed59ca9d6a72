//go:build !noasm

#include "textflag.h"

// Every hot loop starts at a 64-byte boundary (PCALIGN $64): otherwise where the linker puts a
// kernel decides how many 64-byte fetch windows its loop spans, and a change elsewhere in the
// package moved kern4x8's loop from 2 to 3 windows, and log-prob ran 10-20% slower in interleaved
// rounds until it was aligned.

// Offsets into tab (vmath.go): constant c's four lanes at 32·c.
#define LOG2E 0(R8)
#define LN2U 32(R8)
#define LN2L 64(R8)
#define SIXTEENTH 96(R8)
#define P8 128(R8)
#define P7 160(R8)
#define P6 192(R8)
#define P5 224(R8)
#define P4 256(R8)
#define P3 288(R8)
#define P2 320(R8)
#define P1 352(R8)
#define TWO 384(R8)
#define ONE 416(R8)
#define OVERFLOW 448(R8)
#define INF 480(R8)
#define ABS 512(R8)
#define SIGN 544(R8)
#define TP0 576(R8)
#define TP1 608(R8)
#define TP2 640(R8)
#define TQ0 672(R8)
#define TQ1 704(R8)
#define TQ2 736(R8)
#define TSMALL 768(R8)
#define TBIG 800(R8)
#define EXPCAP 832(R8)
#define BIAS 864(R8)
#define MAXE 880(R8)

// EXPCORE computes math/exp_amd64.s's avxfma path on the four lanes of Y0: on return Y0 holds
// the polynomial part fr and X3 the biased exponents k + 1023 (int32); exp(x) = fr·2^k.
// Clobbers Y4, Y5.
#define EXPCORE \
	VMULPD LOG2E, Y0, Y4 \
	VCVTPD2DQY Y4, X3 \
	VCVTDQ2PD X3, Y4 \
	VFNMADD231PD LN2U, Y4, Y0 \
	VFNMADD231PD LN2L, Y4, Y0 \
	VMULPD SIXTEENTH, Y0, Y0 \
	VMOVUPD P8, Y5 \
	VFMADD213PD P7, Y0, Y5 \
	VFMADD213PD P6, Y0, Y5 \
	VFMADD213PD P5, Y0, Y5 \
	VFMADD213PD P4, Y0, Y5 \
	VFMADD213PD P3, Y0, Y5 \
	VFMADD213PD P2, Y0, Y5 \
	VFMADD213PD P1, Y0, Y5 \
	VMULPD Y5, Y0, Y0 \
	VADDPD TWO, Y0, Y5 \
	VMULPD Y5, Y0, Y0 \
	VADDPD TWO, Y0, Y5 \
	VMULPD Y5, Y0, Y0 \
	VADDPD TWO, Y0, Y5 \
	VMULPD Y5, Y0, Y0 \
	VADDPD TWO, Y0, Y5 \
	VFMADD213PD ONE, Y5, Y0 \
	VPADDD BIAS, X3, X3

// SCALE multiplies Y0 by 2^(X3 − 1023) (X3 in (0, 2047)). Clobbers Y4.
#define SCALE \
	VPMOVSXDQ X3, Y4 \
	VPSLLQ $52, Y4, Y4 \
	VMULPD Y4, Y0, Y0

// func expAVX2(dst, x *float64, n int, tab *[4*nConst + 4]float64) int
TEXT ·expAVX2(SB), NOSPLIT, $0-40
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	MOVQ tab+24(FP), R8
	XORQ AX, AX
	VPXOR X6, X6, X6

	PCALIGN $64

loop:
	CMPQ AX, CX
	JGE  done
	VMOVUPD (SI)(AX*8), Y0
	// the lanes math.Exp computes this way: |x| < +Inf (not NaN) and x <= Overflow ...
	VANDPD  ABS, Y0, Y1
	VCMPPD  $0x11, INF, Y1, Y1      // LT_OQ
	VCMPPD  $0x12, OVERFLOW, Y0, Y2 // LE_OQ
	VANDPD  Y2, Y1, Y1
	EXPCORE
	// ... and 0 < k + 1023 < 2047
	VPCMPGTD X6, X3, X7
	VMOVDQU  MAXE, X8
	VPCMPGTD X3, X8, X8
	VPAND    X8, X7, X7
	VPMOVSXDQ X7, Y7
	VANDPD   Y7, Y1, Y1
	VMOVMSKPD Y1, DX
	CMPQ DX, $15
	JNE  done
	SCALE
	VMOVUPD Y0, (DI)(AX*8)
	ADDQ $4, AX
	JMP  loop

done:
	MOVQ AX, ret+32(FP)
	VZEROUPPER
	RET

// func tanhAVX2(dst, x *float64, n int, tab *[4*nConst + 4]float64)
//
// math/tanh.go on four lanes: z = |x|;
//   z > MAXLOG/2:  ±1
//   z >= 0.625:    ±(1 − 2/(exp(2z) + 1))
//   else:          x + x·s·((P0·s + P1)·s + P2) / (((s + Q0)·s + Q1)·s + Q2), s = x·x (x itself at ±0)
// all three computed, then blended (NaN fails both comparisons and takes the last, as in Go); the
// two divisions share one VDIVPD, each lane dividing its own branch's operands.
TEXT ·tanhAVX2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	MOVQ tab+24(FP), R8
	XORQ AX, AX
	VXORPD Y13, Y13, Y13

	PCALIGN $64

tloop:
	CMPQ AX, CX
	JGE  tdone
	VMOVUPD (SI)(AX*8), Y10         // x
	VANDPD  ABS, Y10, Y11           // z
	VANDPD  SIGN, Y10, Y12          // x's sign
	VCMPPD  $0x1D, TSMALL, Y11, Y6  // z >= 0.625 (GE_OQ): the exponential branch
	// exp(2z), 2z capped (the capped lanes take ±1)
	VADDPD  Y11, Y11, Y0
	VMINPD  EXPCAP, Y0, Y0
	EXPCORE
	SCALE
	VADDPD  ONE, Y0, Y0             // exp(2z) + 1
	// the rational function's numerator and denominator
	VMULPD  Y10, Y10, Y2            // s = x·x
	VMULPD  TP0, Y2, Y3
	VADDPD  TP1, Y3, Y3
	VMULPD  Y2, Y3, Y3
	VADDPD  TP2, Y3, Y3             // (P0·s + P1)·s + P2
	VMULPD  Y2, Y10, Y4             // x·s
	VMULPD  Y3, Y4, Y4              // x·s·(…)
	VADDPD  TQ0, Y2, Y5
	VMULPD  Y2, Y5, Y5
	VADDPD  TQ1, Y5, Y5
	VMULPD  Y2, Y5, Y5
	VADDPD  TQ2, Y5, Y5             // ((s + Q0)·s + Q1)·s + Q2
	// one division per lane, of the operands of the lane's branch: 2/(exp(2z) + 1) or num/den
	VBLENDVPD Y6, TWO, Y4, Y4
	VBLENDVPD Y6, Y0, Y5, Y5
	VDIVPD  Y5, Y4, Y4
	VMOVUPD ONE, Y9
	VSUBPD  Y4, Y9, Y9              // 1 − 2/(exp(2z) + 1)
	VXORPD  Y12, Y9, Y9             // with x's sign
	VADDPD  Y4, Y10, Y4             // x + num/den
	VCMPPD  $0x00, Y13, Y10, Y7     // x == 0 (EQ_OQ): x itself
	VBLENDVPD Y7, Y10, Y4, Y4
	VBLENDVPD Y6, Y9, Y4, Y4
	VORPD   ONE, Y12, Y9            // ±1
	VCMPPD  $0x1E, TBIG, Y11, Y6    // z > MAXLOG/2 (GT_OQ)
	VBLENDVPD Y6, Y9, Y4, Y4
	VMOVUPD Y4, (DI)(AX*8)
	ADDQ $4, AX
	JMP  tloop

tdone:
	VZEROUPPER
	RET

// func reluAVX2(dst, x *float64, n int)
//
// dst[i] = x[i] when x[i] > 0 or NaN, else +0 (graph.ReLUValue), four at a time (n a multiple
// of 4): the lanes with x <= 0 (an ordered comparison, false for NaN) are cleared.
TEXT ·reluAVX2(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	XORQ AX, AX
	VXORPD Y15, Y15, Y15

	PCALIGN $64

rloop:
	CMPQ AX, CX
	JGE  rdone
	VMOVUPD (SI)(AX*8), Y0
	VCMPPD  $0x12, Y15, Y0, Y2 // LE_OQ
	VANDNPD Y0, Y2, Y0
	VMOVUPD Y0, (DI)(AX*8)
	ADDQ $4, AX
	JMP  rloop

rdone:
	VZEROUPPER
	RET

// func reluGradAVX2(dst, gr, a *float64, n int)
//
// dst[i] = gr[i] when a[i] > 0, +0 when a[i] <= 0, a[i] when it is NaN (graph.ReLUGradValue), four
// at a time (n a multiple of 4); dst may be gr.
TEXT ·reluGradAVX2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ gr+8(FP), BX
	MOVQ a+16(FP), SI
	MOVQ n+24(FP), CX
	XORQ AX, AX
	VXORPD Y15, Y15, Y15

	PCALIGN $64

gloop:
	CMPQ AX, CX
	JGE  gdone
	VMOVUPD (SI)(AX*8), Y0
	VCMPPD  $0x1E, Y15, Y0, Y2 // a > 0 (GT_OQ)
	VCMPPD  $0x03, Y0, Y0, Y4  // a is NaN (UNORD_Q)
	VANDPD  (BX)(AX*8), Y2, Y2
	VANDPD  Y0, Y4, Y4
	VORPD   Y4, Y2, Y2
	VMOVUPD Y2, (DI)(AX*8)
	ADDQ $4, AX
	JMP  gloop

gdone:
	VZEROUPPER
	RET

// func relu32AVX2(dst, x *float32, n int): reluAVX2 in float32, eight at a time.
TEXT ·relu32AVX2(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	XORQ AX, AX
	VXORPS Y15, Y15, Y15

	PCALIGN $64

sloop:
	CMPQ AX, CX
	JGE  sdone
	VMOVUPS (SI)(AX*4), Y0
	VCMPPS  $0x12, Y15, Y0, Y2 // LE_OQ
	VANDNPS Y0, Y2, Y0
	VMOVUPS Y0, (DI)(AX*4)
	ADDQ $8, AX
	JMP  sloop

sdone:
	VZEROUPPER
	RET

// func reluGrad32AVX2(dst, gr, a *float32, n int): reluGradAVX2 in float32, eight at a time.
TEXT ·reluGrad32AVX2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ gr+8(FP), BX
	MOVQ a+16(FP), SI
	MOVQ n+24(FP), CX
	XORQ AX, AX
	VXORPS Y15, Y15, Y15

	PCALIGN $64

hloop:
	CMPQ AX, CX
	JGE  hdone
	VMOVUPS (SI)(AX*4), Y0
	VCMPPS  $0x1E, Y15, Y0, Y2
	VCMPPS  $0x03, Y0, Y0, Y4
	VANDPS  (BX)(AX*4), Y2, Y2
	VANDPS  Y0, Y4, Y4
	VORPS   Y4, Y2, Y2
	VMOVUPS Y2, (DI)(AX*4)
	ADDQ $8, AX
	JMP  hloop

hdone:
	VZEROUPPER
	RET
