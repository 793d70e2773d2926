//go:build gc && !purego && !race

#include "textflag.h"

// Registers that hold meaning.
#define to   DI // next byte to store
#define from SI // next byte to load
#define left CX // bytes not yet copied by the loop

// func copyNT(dst, src unsafe.Pointer, n int)
// Requires: SSE2
TEXT ·copyNT(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), to
	MOVQ src+8(FP), from
	MOVQ n+16(FP), left

	// The first and the last 16 bytes go through the cache with ordinary
	// stores; the first load comes before any store, so a source page
	// that faults has nothing of it stored.
	MOVOU 0(from), X0
	LEAQ  -16(from)(left*1), R8
	LEAQ  -16(to)(left*1), R9
	MOVOU 0(R8), X1
	MOVOU X0, 0(to)

	// Step to the first 16-byte boundary of dst: MOVNTO needs it.
	MOVQ to, AX
	ANDQ $15, AX
	MOVQ $16, BX
	SUBQ AX, BX
	ADDQ BX, to
	ADDQ BX, from
	SUBQ BX, left

	// 64 bytes an iteration, stored past the cache.
	CMPQ left, $64
	JB   small

big:
	MOVOU  0(from), X2
	MOVOU  16(from), X3
	MOVOU  32(from), X4
	MOVOU  48(from), X5
	MOVNTO X2, 0(to)
	MOVNTO X3, 16(to)
	MOVNTO X4, 32(to)
	MOVNTO X5, 48(to)
	ADDQ   $64, from
	ADDQ   $64, to
	SUBQ   $64, left
	CMPQ   left, $64
	JAE    big

	// 16 bytes at a time; what is left under 16 is covered by the last 16.
small:
	CMPQ   left, $16
	JB     tail
	MOVOU  0(from), X2
	MOVNTO X2, 0(to)
	ADDQ   $16, from
	ADDQ   $16, to
	SUBQ   $16, left
	JMP    small

tail:
	MOVOU X1, 0(R9)

	// Order the non-temporal stores before whatever the caller does next.
	SFENCE
	RET
