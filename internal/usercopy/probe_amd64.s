//go:build gc && !purego

#include "textflag.h"

// func probeWriteByte(p unsafe.Pointer)
TEXT ·probeWriteByte(SB), NOSPLIT, $0-8
	MOVQ p+0(FP), AX
	LOCK
	ORB  $0, (AX)
	RET
