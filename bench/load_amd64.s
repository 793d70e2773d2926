#include "textflag.h"

// LOADS is the body of a kernel: it reads b_len bytes from b_base, a
// multiple of 4*W, with four independent loads INSN of W bytes a step
// into R0-R3, whose results nothing uses, so that the loop is bound by
// the CPU's loads alone.
#define LOADS(INSN, W, R0, R1, R2, R3) \
	MOVQ  b_base+0(FP), SI; \
	MOVQ  b_len+8(FP), CX; \
	TESTQ CX, CX; \
	JZ    done; \
	ADDQ  SI, CX; \
loop: \
	INSN  (SI), R0; \
	INSN  W(SI), R1; \
	INSN  (2*W)(SI), R2; \
	INSN  (3*W)(SI), R3; \
	ADDQ  $(4*W), SI; \
	CMPQ  SI, CX; \
	JNE   loop; \
done:

// func loadZMM(b []byte)
// Requires: AVX512F
TEXT ·loadZMM(SB), NOSPLIT, $0-24
	LOADS(VMOVDQU64, 64, Z0, Z1, Z2, Z3)
	VZEROUPPER
	RET

// func loadYMM(b []byte)
// Requires: AVX
TEXT ·loadYMM(SB), NOSPLIT, $0-24
	LOADS(VMOVDQU, 32, Y0, Y1, Y2, Y3)
	VZEROUPPER
	RET

// func loadXMM(b []byte)
// Requires: nothing beyond x86-64 (SSE2)
TEXT ·loadXMM(SB), NOSPLIT, $0-24
	LOADS(MOVOU, 16, X0, X1, X2, X3)
	RET
