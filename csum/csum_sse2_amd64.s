//go:build amd64 && gc && !purego

#include "textflag.h"
#include "csum_amd64.h"

// amd64-sse2: the Internet checksum in 128-bit vectors, for CPUs whose
// 256-bit operations run as two 128-bit halves (AMD Zen 1), where they
// buy nothing over SSE2 but cost the same issue slots, and for CPUs
// without ADX whose vector units outrun one ADC chain (Sandy Bridge to
// Haswell, AMD's Bulldozer line and Jaguar): see cpuRows in csum_amd64.go.
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
// on two carry chains instead. The last 0..63 bytes go to the tail
// subroutines (csum_amd64.s), and Copy's short inputs to copyScalar,
// which has the same frame.

#define sse2Chunk (1<<20)

// sse2Min is the shortest input the vectors take: below it, their set-up
// and reduction (some 40 instructions) cost more than they save over carry
// chains. Measured on Emerald Rapids, the scalar tier is faster at 256
// bytes and the vectors at 512, for Partial and Copy.
#define sse2Min 384

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
	MOVL $0x80008000, t  \
	BROADCAST32(t, bias) \
	MOVL $0x00010001, t  \
	BROADCAST32(t, ones)

// SSE2_START starts lo, hi and mad for a chunk of whole 64-byte blocks.
// Clobbers t.
#define SSE2_START(t) \
	PXOR  lo, lo    \
	PXOR  hi, hi    \
	MOVQ  chunk, t  \ // 65536 per PMADDWD a lane gets, two per 64 bytes
	SHLQ  $11, t    \
	BROADCAST32(t, mad)

// SSE2_REDUCE adds lo, hi and mad to acc: the exact sum of the lower
// halves (lo - hi<<32) plus hi, plus the four exact 32-bit lanes of mad
// widened to 64 bits, all far below 2^64, then the two 64-bit lanes into
// acc. Clobbers lo, hi, mad, X3 and t.
#define SSE2_REDUCE(t) \
	MOVO   hi, X3        \
	PSLLQ  $32, X3       \
	PSUBQ  X3, lo        \
	PADDQ  hi, lo        \
	MOVO   mad, X3       \
	PSRLQ  $32, X3       \ // the odd lanes of mad
	PSLLQ  $32, mad      \
	PSRLQ  $32, mad      \ // the even ones
	PADDQ  X3, lo        \
	PADDQ  mad, lo       \
	PSHUFL $0x4e, lo, X3 \
	PADDQ  X3, lo        \
	MOVQ   lo, t         \
	ADDQ   t, acc        \
	ADCQ   $0, acc

// LOAD64 loads the 64 bytes at off(src) into x0..x3.
#define LOAD64(off, x0, x1, x2, x3) \
	MOVOU off+0(src), x0  \
	MOVOU off+16(src), x1 \
	MOVOU off+32(src), x2 \
	MOVOU off+48(src), x3

// STORE64 stores x0..x3 to off(dst).
#define STORE64(off, x0, x1, x2, x3) \
	MOVOU x0, off+0(dst)  \
	MOVOU x1, off+16(dst) \
	MOVOU x2, off+32(dst) \
	MOVOU x3, off+48(dst)

// STORE_NONE stands for STORE64 in Partial.
#define STORE_NONE(off, x0, x1, x2, x3)

// SUM64 adds x0..x3 to the sums, half each way, clobbering them.
#define SUM64(x0, x1, x2, x3) \
	ADD_SHIFT(x0) \
	MADD(x1)      \
	ADD_SHIFT(x2) \
	MADD(x3)

// SSE2_BLOCKS adds the whole 64-byte blocks of the left bytes at src to
// acc, in chunks of at most sse2Chunk bytes: 128 bytes a round, in X4..X7
// and X8..X11, then the last 64 of the chunk. It passes each four vectors
// it loads to store(off, x0, x1, x2, x3) (STORE64 or STORE_NONE) and moves
// on with step(n). It leaves left with the last 0..63 bytes in its low 6
// bits, as the tail subroutines take them. Each routine of the tier runs
// it once (it has labels). Clobbers cnt, R8..R10 and X0..X13.
#define SSE2_BLOCKS(store, step) \
	SSE2_SETUP(R9)                     \
	MOVQ  left, rest                   \
	ANDQ  $~63, left                   \
nextchunk:                             \
	NEXT_CHUNK($sse2Chunk, R9)         \
	SSE2_START(R9)                     \
	MOVQ  chunk, cnt                   \
	SHRQ  $7, cnt                      \
	JZ    block64                      \
loop:                                  \
	LOAD64(0, X4, X5, X6, X7)          \
	LOAD64(64, X8, X9, X10, X11)       \
	store(0, X4, X5, X6, X7)           \
	store(64, X8, X9, X10, X11)        \
	SUM64(X4, X5, X6, X7)              \
	SUM64(X8, X9, X10, X11)            \
	step($128)                         \
	DECQ  cnt                          \
	JNZ   loop                         \
block64:                               \
	TESTQ $64, chunk                   \
	JZ    reduce                       \
	LOAD64(0, X4, X5, X6, X7)          \
	store(0, X4, X5, X6, X7)           \
	SUM64(X4, X5, X6, X7)              \
	step($64)                          \
reduce:                                \
	SSE2_REDUCE(R9)                    \
	TESTQ left, left                   \
	JNZ   nextchunk                    \
	MOVQ  rest, left

// func partialSSE2(b []byte, sum Sum) Sum
// Requires: SSE2
TEXT ·partialSSE2(SB), NOSPLIT, $0-36
	MOVQ b_base+0(FP), src
	MOVQ b_len+8(FP), left
	MOVL sum+24(FP), acc
	CMPQ left, $sse2Min
	JB   mid
	SSE2_BLOCKS(STORE_NONE, STEP_SRC)
	LEAQ ret+32(FP), out
	JMP  ·sumTail(SB)

mid:
	// Fewer than sse2Min bytes: no vector set-up, but two carry chains
	// (ADD_CHAIN4) that run side by side, 32 bytes each a round, the
	// second into DX. Loads into registers first keep each chain one cycle
	// a step (R11 among them, so out is set after the loop).
	MOVQ left, cnt
	SHRQ $6, cnt
	JZ   tail
	XORL DX, DX

midloop:
	MOVQ 0(src), R8
	MOVQ 8(src), R9
	MOVQ 16(src), R10
	MOVQ 24(src), R11
	MOVQ 32(src), R12
	MOVQ 40(src), R13
	MOVQ 48(src), DI
	ADD_CHAIN4(R8, R9, R10, R11, acc)
	MOVQ 56(src), R8
	ADD_CHAIN4(R12, R13, DI, R8, DX)
	ADDQ $64, src
	DECQ cnt
	JNZ  midloop
	ADDQ DX, acc
	ADCQ $0, acc

tail:
	LEAQ ret+32(FP), out
	JMP  ·sumTail(SB)

// func copySSE2(dst, src []byte, sum Sum) Sum
// Requires: SSE2
TEXT ·copySSE2(SB), NOSPLIT, $0-60
	MOVQ dst_base+0(FP), dst
	MOVQ src_base+24(FP), src
	MOVQ src_len+32(FP), left
	CMPQ left, $sse2Min
	JB   short
	MOVL sum+48(FP), acc
	LEAQ ret+56(FP), out
	SSE2_BLOCKS(STORE64, STEP_SRC_DST)
	JMP  ·copyTail(SB)

short:
	// Fewer than sse2Min bytes: the scalar tier, with the same arguments.
	JMP ·copyScalar(SB)
