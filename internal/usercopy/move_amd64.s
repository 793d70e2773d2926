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

// func copyPrefetch(dst, src unsafe.Pointer, n int)
// Requires: AVX, AVX2
TEXT ·copyPrefetch(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), to
	MOVQ src+8(FP), from
	MOVQ n+16(FP), left

	// The last 128 bytes, copied last, cover whatever the loop leaves.
	LEAQ -128(from)(left*1), R8
	LEAQ -128(to)(left*1), R9

	// 128 bytes an iteration in four 32-byte registers, prefetching the
	// same lines one page on, so that the next call (the next page) finds
	// them in cache.
loop:
	PREFETCHT0 4096(from)
	PREFETCHT0 4160(from)
	PREFETCHT0 4096(to)
	PREFETCHT0 4160(to)
	VMOVDQU    0(from), Y0
	VMOVDQU    32(from), Y1
	VMOVDQU    64(from), Y2
	VMOVDQU    96(from), Y3
	VMOVDQU    Y0, 0(to)
	VMOVDQU    Y1, 32(to)
	VMOVDQU    Y2, 64(to)
	VMOVDQU    Y3, 96(to)
	ADDQ       $128, from
	ADDQ       $128, to
	SUBQ       $128, left
	CMPQ       left, $128
	JAE        loop

	// The tail: 0 to 127 bytes, copied as the last 128.
	TESTQ   left, left
	JZ      done
	VMOVDQU 0(R8), Y0
	VMOVDQU 32(R8), Y1
	VMOVDQU 64(R8), Y2
	VMOVDQU 96(R8), Y3
	VMOVDQU Y0, 0(R9)
	VMOVDQU Y1, 32(R9)
	VMOVDQU Y2, 64(R9)
	VMOVDQU Y3, 96(R9)

done:
	VZEROUPPER
	RET
