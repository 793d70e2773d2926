#include "textflag.h"

// func addChain(n int)
// Runs n rounds of 16 dependent register adds, one cycle each.
TEXT ·addChain(SB), NOSPLIT, $0-8
	MOVQ n+0(FP), CX
	MOVQ $1, AX
loop:
	ADDQ AX, AX
	ADDQ AX, AX
	ADDQ AX, AX
	ADDQ AX, AX
	ADDQ AX, AX
	ADDQ AX, AX
	ADDQ AX, AX
	ADDQ AX, AX
	ADDQ AX, AX
	ADDQ AX, AX
	ADDQ AX, AX
	ADDQ AX, AX
	ADDQ AX, AX
	ADDQ AX, AX
	ADDQ AX, AX
	ADDQ AX, AX
	DECQ CX
	JNZ  loop
	RET
