//go:build gc && !purego

#include "textflag.h"

// func probeWriteByte(p unsafe.Pointer)
// A load-exclusive/store-exclusive pair that stores back the byte it loaded;
// a concurrent store clears the exclusive monitor and the pair is retried.
TEXT ·probeWriteByte(SB), NOSPLIT, $0-8
	MOVD p+0(FP), R0
again:
	LDXRB (R0), R1
	STXRB R1, (R0), R2
	CBNZ  R2, again
	RET
