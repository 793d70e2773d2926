#include "textflag.h"

// func addChain(n int)
// Runs n rounds of 16 dependent register adds, one cycle each.
TEXT ·addChain(SB), NOSPLIT|NOFRAME, $0-8
	MOVD n+0(FP), R1
	MOVD $1, R0
loop:
	ADD R0, R0, R0
	ADD R0, R0, R0
	ADD R0, R0, R0
	ADD R0, R0, R0
	ADD R0, R0, R0
	ADD R0, R0, R0
	ADD R0, R0, R0
	ADD R0, R0, R0
	ADD R0, R0, R0
	ADD R0, R0, R0
	ADD R0, R0, R0
	ADD R0, R0, R0
	ADD R0, R0, R0
	ADD R0, R0, R0
	ADD R0, R0, R0
	ADD R0, R0, R0
	SUBS $1, R1, R1
	BNE  loop
	RET
