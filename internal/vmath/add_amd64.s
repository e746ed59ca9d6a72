//go:build !noasm

#include "textflag.h"

// func addAVX2(dst, x *float64, n int): dst[i] += x[i], sixteen at a time while at least sixteen
// are left, then four at a time.
TEXT ·addAVX2(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	XORQ AX, AX
	MOVQ CX, DX
	ANDQ $-16, DX

	PCALIGN $64

add16:
	CMPQ    AX, DX
	JGE     add4
	VMOVUPD (DI)(AX*8), Y0
	VMOVUPD 32(DI)(AX*8), Y1
	VMOVUPD 64(DI)(AX*8), Y2
	VMOVUPD 96(DI)(AX*8), Y3
	VADDPD  (SI)(AX*8), Y0, Y0
	VADDPD  32(SI)(AX*8), Y1, Y1
	VADDPD  64(SI)(AX*8), Y2, Y2
	VADDPD  96(SI)(AX*8), Y3, Y3
	VMOVUPD Y0, (DI)(AX*8)
	VMOVUPD Y1, 32(DI)(AX*8)
	VMOVUPD Y2, 64(DI)(AX*8)
	VMOVUPD Y3, 96(DI)(AX*8)
	ADDQ    $16, AX
	JMP     add16

add4:
	CMPQ    AX, CX
	JGE     adddone
	VMOVUPD (DI)(AX*8), Y0
	VADDPD  (SI)(AX*8), Y0, Y0
	VMOVUPD Y0, (DI)(AX*8)
	ADDQ    $4, AX
	JMP     add4

adddone:
	VZEROUPPER
	RET

// func add32AVX2(dst, x *float32, n int): addAVX2 in float32, thirty-two then eight at a time.
TEXT ·add32AVX2(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	XORQ AX, AX
	MOVQ CX, DX
	ANDQ $-32, DX

	PCALIGN $64

add32:
	CMPQ    AX, DX
	JGE     add8
	VMOVUPS (DI)(AX*4), Y0
	VMOVUPS 32(DI)(AX*4), Y1
	VMOVUPS 64(DI)(AX*4), Y2
	VMOVUPS 96(DI)(AX*4), Y3
	VADDPS  (SI)(AX*4), Y0, Y0
	VADDPS  32(SI)(AX*4), Y1, Y1
	VADDPS  64(SI)(AX*4), Y2, Y2
	VADDPS  96(SI)(AX*4), Y3, Y3
	VMOVUPS Y0, (DI)(AX*4)
	VMOVUPS Y1, 32(DI)(AX*4)
	VMOVUPS Y2, 64(DI)(AX*4)
	VMOVUPS Y3, 96(DI)(AX*4)
	ADDQ    $32, AX
	JMP     add32

add8:
	CMPQ    AX, CX
	JGE     add32done
	VMOVUPS (DI)(AX*4), Y0
	VADDPS  (SI)(AX*4), Y0, Y0
	VMOVUPS Y0, (DI)(AX*4)
	ADDQ    $8, AX
	JMP     add8

add32done:
	VZEROUPPER
	RET

// func biasAVX2(x, b *float64, m, n, ld int, relu bool): each of the m rows x_r (n values, n a
// multiple of 4, stride ld) becomes x_r + b, or ReLU(x_r + b) with relu (reluAVX2's: +0 for ≤ 0,
// NaN kept), four at a time.
TEXT ·biasAVX2(SB), NOSPLIT, $0-41
	MOVQ   x+0(FP), DI
	MOVQ   b+8(FP), SI
	MOVQ   m+16(FP), BX
	MOVQ   n+24(FP), CX
	MOVQ   ld+32(FP), DX
	SHLQ   $3, DX
	VXORPD Y15, Y15, Y15
	TESTQ  BX, BX
	JE     biasdone
	TESTQ  CX, CX
	JE     biasdone
	CMPB   relu+40(FP), $0
	JNE    brelurow

	PCALIGN $64

baddrow:
	XORQ AX, AX

baddloop:
	VMOVUPD (DI)(AX*8), Y0
	VADDPD  (SI)(AX*8), Y0, Y0
	VMOVUPD Y0, (DI)(AX*8)
	ADDQ    $4, AX
	CMPQ    AX, CX
	JLT     baddloop
	ADDQ    DX, DI
	DECQ    BX
	JNE     baddrow
	JMP     biasdone

brelurow:
	XORQ AX, AX

breluloop:
	VMOVUPD (DI)(AX*8), Y0
	VADDPD  (SI)(AX*8), Y0, Y0
	VCMPPD  $0x12, Y15, Y0, Y2 // LE_OQ
	VANDNPD Y0, Y2, Y0
	VMOVUPD Y0, (DI)(AX*8)
	ADDQ    $4, AX
	CMPQ    AX, CX
	JLT     breluloop
	ADDQ    DX, DI
	DECQ    BX
	JNE     brelurow

biasdone:
	VZEROUPPER
	RET

// func bias32AVX2(x, b *float32, m, n, ld int, relu bool): biasAVX2 in float32, eight at a time
// (n a multiple of 8).
TEXT ·bias32AVX2(SB), NOSPLIT, $0-41
	MOVQ   x+0(FP), DI
	MOVQ   b+8(FP), SI
	MOVQ   m+16(FP), BX
	MOVQ   n+24(FP), CX
	MOVQ   ld+32(FP), DX
	SHLQ   $2, DX
	VXORPS Y15, Y15, Y15
	TESTQ  BX, BX
	JE     bias32done
	TESTQ  CX, CX
	JE     bias32done
	CMPB   relu+40(FP), $0
	JNE    brelu32row

	PCALIGN $64

badd32row:
	XORQ AX, AX

badd32loop:
	VMOVUPS (DI)(AX*4), Y0
	VADDPS  (SI)(AX*4), Y0, Y0
	VMOVUPS Y0, (DI)(AX*4)
	ADDQ    $8, AX
	CMPQ    AX, CX
	JLT     badd32loop
	ADDQ    DX, DI
	DECQ    BX
	JNE     badd32row
	JMP     bias32done

brelu32row:
	XORQ AX, AX

brelu32loop:
	VMOVUPS (DI)(AX*4), Y0
	VADDPS  (SI)(AX*4), Y0, Y0
	VCMPPS  $0x12, Y15, Y0, Y2 // LE_OQ
	VANDNPS Y0, Y2, Y0
	VMOVUPS Y0, (DI)(AX*4)
	ADDQ    $8, AX
	CMPQ    AX, CX
	JLT     brelu32loop
	ADDQ    DX, DI
	DECQ    BX
	JNE     brelu32row

bias32done:
	VZEROUPPER
	RET
