#include "textflag.h"

// ADD4 doubles AX four times: four dependent adds.
#define ADD4 ADDQ AX, AX; ADDQ AX, AX; ADDQ AX, AX; ADDQ AX, AX

// func addChain(n int)
// Runs n rounds of 16 dependent register adds, one cycle each.
TEXT ·addChain(SB), NOSPLIT, $0-8
	MOVQ n+0(FP), CX
	MOVQ $1, AX
loop:
	ADD4
	ADD4
	ADD4
	ADD4
	DECQ CX
	JNZ  loop
	RET
