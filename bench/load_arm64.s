#include "textflag.h"

// func loadNEON(b []byte)
// It reads b_len bytes from b_base, a multiple of 128, with loads whose
// results nothing uses: the loop is bound by the CPU's loads alone.
TEXT ·loadNEON(SB), NOSPLIT, $0-24
	MOVD b_base+0(FP), R0
	MOVD b_len+8(FP), R1
	CBZ  R1, done
	ADD  R0, R1, R2

loop:
	VLD1.P 64(R0), [V0.B16, V1.B16, V2.B16, V3.B16]
	VLD1.P 64(R0), [V4.B16, V5.B16, V6.B16, V7.B16]
	CMP    R0, R2
	BNE    loop

done:
	RET
