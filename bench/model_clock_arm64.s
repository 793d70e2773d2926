#include "textflag.h"

// ADD4 doubles R0 four times: four dependent adds.
#define ADD4 ADD R0, R0, R0; ADD R0, R0, R0; ADD R0, R0, R0; ADD R0, R0, R0

// func addChain(n int)
// Runs n rounds of 16 dependent register adds, one cycle each.
TEXT ·addChain(SB), NOSPLIT|NOFRAME, $0-8
	MOVD n+0(FP), R1
	MOVD $1, R0
loop:
	ADD4
	ADD4
	ADD4
	ADD4
	SUBS $1, R1, R1
	BNE  loop
	RET
