//go:build amd64 && gc && !purego

#include "textflag.h"

// amd64-sse2: the Internet checksum in 128-bit vectors, for CPUs whose
// 256-bit operations run as two 128-bit halves (AMD Zen 1), where they
// buy nothing over SSE2 but cost the same issue slots (see csum_amd64.go).
// Only SSE2, which every amd64 CPU has.
//
// The vectors loaded are summed in two ways, half each, so that the work
// spreads over more of the vector pipes than either way alone would use
// (on Zen 1, PMADDWD runs in one pipe and shifts in another):
//
//   - add/shift/add, as in amd64-avx2: each 64-bit lane adds the whole
//     8-byte piece into lo (modulo 2^64) and its upper 32 bits into hi
//     (exact); lo - hi<<32 is then the exact sum of the lower halves.
//   - bias, multiply-add: xor 0x8000 turns each 16-bit word w into the
//     signed w-32768, and PMADDWD by ones adds pairs of them into 32-bit
//     lanes of mad: the true pair sum minus 65536. mad starts a chunk at
//     65536 times the number of PMADDWDs each lane will get, so that it
//     ends the chunk holding the exact sum of its words.
//
// A chunk is at most sse2Chunk bytes: each lane of mad gets two PMADDWDs
// per 64 bytes, 2^15 of them in a chunk, each worth below 2^17, so that
// the exact sum stays below 2^32; lo and hi are far from their bounds.
//
// Only whole 64-byte blocks go through the vectors; Partial sums the
// whole 64-byte blocks of inputs too short to pay for the vector set-up
// on two carry chains instead. The last 0..63 bytes, and Copy's short
// inputs, go to the scalar tier: the routine writes what is left into its
// own arguments and jumps to partialScalar or copyScalar, which have the
// same frame.

#define sse2Chunk (1<<20)

// sse2Min is the shortest input the vectors take: below it, their set-up
// and reduction (some 40 instructions) cost more than they save over carry
// chains. Measured on Emerald Rapids, the scalar tier is faster at 256
// bytes and the vectors at 512, for Partial and Copy.
#define sse2Min 384

#define src  SI // next byte to read
#define dst  DI // next byte to write (Copy)
#define left BX // bytes left
#define acc  AX // the 64-bit ones'-complement sum, carries folded in
#define cnt  CX // rounds left in a loop
#define k    R8 // bytes of this chunk

#define lo   X0  // sums of whole 64-bit pieces, modulo 2^64
#define hi   X1  // sums of their upper 32 bits
#define mad  X2  // sums of biased word pairs, in 32-bit lanes
#define bias X12 // 0x8000 in every 16-bit lane
#define ones X13 // 1 in every 16-bit lane

// ADD_SHIFT adds the 16 bytes in x to lo and hi, clobbering x.
#define ADD_SHIFT(x) \
	PADDQ x, lo  \
	PSRLQ $32, x \
	PADDQ x, hi

// MADD adds the 16 bytes in x to mad, clobbering x.
#define MADD(x) \
	PXOR    bias, x \
	PMADDWL ones, x \
	PADDL   x, mad

// BROADCAST32 sets every 32-bit lane of x to the low 32 bits of r.
#define BROADCAST32(r, x) \
	MOVQ   r, x \
	PSHUFL $0, x, x

// SSE2_SETUP loads bias and ones through t.
#define SSE2_SETUP(t) \
	MOVL $0x80008000, t     \
	BROADCAST32(t, bias)    \
	MOVL $0x00010001, t     \
	BROADCAST32(t, ones)

// NEXT_CHUNK takes the next chunk off left: k gets the whole 64-byte
// blocks of min(left, sse2Chunk), and left the rest. It starts lo, hi and
// mad for them. Clobbers t.
#define NEXT_CHUNK(t) \
	MOVQ    left, k         \
	ANDQ    $~63, k         \
	MOVQ    $sse2Chunk, t   \
	CMPQ    k, t            \
	CMOVQHI t, k            \
	SUBQ    k, left         \
	PXOR    lo, lo          \
	PXOR    hi, hi          \
	MOVQ    k, t            \ // 65536 per PMADDWD a lane gets, two per 64 bytes
	SHLQ    $11, t          \
	BROADCAST32(t, mad)

// SSE2_REDUCE adds lo, hi and mad to acc: the exact sum of the lower
// halves (lo - hi<<32) plus hi, plus the four exact 32-bit lanes of mad
// widened to 64 bits, all far below 2^64, then the two 64-bit lanes into
// acc. Clobbers lo, hi, mad, X3 and t.
#define SSE2_REDUCE(t) \
	MOVO   hi, X3       \
	PSLLQ  $32, X3      \
	PSUBQ  X3, lo       \
	PADDQ  hi, lo       \
	MOVO   mad, X3      \
	PSRLQ  $32, X3      \ // the odd lanes of mad
	PSLLQ  $32, mad     \
	PSRLQ  $32, mad     \ // the even ones
	PADDQ  X3, lo       \
	PADDQ  mad, lo      \
	PSHUFL $0x4e, lo, X3 \
	PADDQ  X3, lo       \
	MOVQ   lo, t        \
	ADDQ   t, acc       \
	ADCQ   $0, acc

// FOLD32 folds the 64-bit accumulator to 32 bits with an end-around carry
// (it stays zero only if it was), clobbering t.
#define FOLD32(t) \
	MOVQ acc, t   \
	SHRQ $32, t   \
	ADDL t, acc   \
	ADCL $0, acc

// LOAD64 loads the 64 bytes at off(src) into X4..X7.
#define LOAD64(off) \
	MOVOU off+0(src), X4  \
	MOVOU off+16(src), X5 \
	MOVOU off+32(src), X6 \
	MOVOU off+48(src), X7

// STORE64 stores X4..X7 to off(dst).
#define STORE64(off) \
	MOVOU X4, off+0(dst)  \
	MOVOU X5, off+16(dst) \
	MOVOU X6, off+32(dst) \
	MOVOU X7, off+48(dst)

// SUM64 adds X4..X7 to the sums, half each way, clobbering them.
#define SUM64 \
	ADD_SHIFT(X4) \
	MADD(X5)      \
	ADD_SHIFT(X6) \
	MADD(X7)

// The same for the second 64 bytes of a round, in X8..X11.
#define LOAD64B(off) \
	MOVOU off+0(src), X8   \
	MOVOU off+16(src), X9  \
	MOVOU off+32(src), X10 \
	MOVOU off+48(src), X11

#define STORE64B(off) \
	MOVOU X8, off+0(dst)   \
	MOVOU X9, off+16(dst)  \
	MOVOU X10, off+32(dst) \
	MOVOU X11, off+48(dst)

#define SUM64B \
	ADD_SHIFT(X8) \
	MADD(X9)      \
	ADD_SHIFT(X10) \
	MADD(X11)

// The stores of SSE2_BLOCKS (STORE64 and STORE64B for Copy, none for
// Partial) and its pointer steps.
#define STORE_NONE(off)
#define ADVANCE_SRC(n)     ADDQ n, src
#define ADVANCE_SRC_DST(n) ADDQ n, src; ADDQ n, dst

// SSE2_BLOCKS adds the whole 64-byte blocks of the left bytes at src to
// acc, in chunks: 128 bytes a round, then the last 64 of the chunk. Each
// four vectors loaded go to store or storeB as they are loaded, and
// advance(n) moves the pointers on. It leaves left = the last 0..63
// bytes. Labels: one use per routine. Clobbers cnt, k, R9 and X0..X13.
#define SSE2_BLOCKS(store, storeB, advance) \
	SSE2_SETUP(R9)  \
chunk:              \
	NEXT_CHUNK(R9)  \
	MOVQ  k, cnt    \
	SHRQ  $7, cnt   \
	JZ    block64   \
loop:               \
	LOAD64(0)       \
	LOAD64B(64)     \
	store(0)        \
	storeB(64)      \
	SUM64           \
	SUM64B          \
	advance($128)   \
	DECQ  cnt       \
	JNZ   loop      \
block64:            \
	TESTQ $64, k    \
	JZ    reduce    \
	LOAD64(0)       \
	store(0)        \
	SUM64           \
	advance($64)    \
reduce:             \
	SSE2_REDUCE(R9) \
	CMPQ  left, $64 \
	JAE   chunk

// func partialSSE2(b []byte, sum Sum) Sum
// Requires: SSE2
TEXT ·partialSSE2(SB), NOSPLIT, $0-36
	MOVQ b_base+0(FP), src
	MOVQ b_len+8(FP), left
	CMPQ left, $64
	JB   scalar
	MOVL sum+24(FP), acc
	CMPQ left, $sse2Min
	JB   mid
	SSE2_BLOCKS(STORE_NONE, STORE_NONE, ADVANCE_SRC)
	JMP  tail

mid:
	// Fewer than sse2Min bytes: no vector set-up, but two carry chains
	// that run side by side, 32 bytes each a round, the second into DX.
	// Each adds its carry back at once (ADCQ $0), which cannot carry
	// again: a chain that starts with ADDQ and carries out leaves at most
	// 2^64-2. Loads into registers first keep each chain one cycle a step.
	MOVQ left, cnt
	SHRQ $6, cnt
	ANDQ $63, left
	XORL DX, DX

midloop:
	MOVQ 0(src), R8
	MOVQ 8(src), R9
	MOVQ 16(src), R10
	MOVQ 24(src), R11
	MOVQ 32(src), R12
	MOVQ 40(src), R13
	MOVQ 48(src), DI
	ADDQ R8, acc
	ADCQ R9, acc
	ADCQ R10, acc
	ADCQ R11, acc
	ADCQ $0, acc
	MOVQ 56(src), R8
	ADDQ R12, DX
	ADCQ R13, DX
	ADCQ DI, DX
	ADCQ R8, DX
	ADCQ $0, DX
	ADDQ $64, src
	DECQ cnt
	JNZ  midloop
	ADDQ DX, acc
	ADCQ $0, acc

tail:
	// The last 0..63 bytes: the scalar tier with what is left.
	FOLD32(R9)
	MOVQ src, b_base+0(FP)
	MOVQ left, b_len+8(FP)
	MOVL acc, sum+24(FP)

scalar:
	JMP ·partialScalar(SB)

// func copySSE2(dst, src []byte, sum Sum) Sum
// Requires: SSE2
TEXT ·copySSE2(SB), NOSPLIT, $0-60
	MOVQ dst_base+0(FP), dst
	MOVQ src_base+24(FP), src
	MOVQ src_len+32(FP), left
	CMPQ left, $sse2Min
	JB   scalar
	MOVL sum+48(FP), acc
	SSE2_BLOCKS(STORE64, STORE64B, ADVANCE_SRC_DST)

	// The last 0..63 bytes: the scalar tier with what is left.
	FOLD32(R9)
	MOVQ dst, dst_base+0(FP)
	MOVQ left, dst_len+8(FP)
	MOVQ src, src_base+24(FP)
	MOVQ left, src_len+32(FP)
	MOVL acc, sum+48(FP)

scalar:
	JMP ·copyScalar(SB)
