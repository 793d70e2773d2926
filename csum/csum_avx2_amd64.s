//go:build amd64 && gc && !purego

#include "textflag.h"
#include "csum_amd64.h"

// amd64-avx2: every 64-bit lane adds the whole of each 8-byte piece into
// lo (modulo 2^64, losing carries) and its upper 32 bits into hi (exact).
// Since the pieces are hi·2^32 + low halves, lo - hi<<32 is the exact sum
// of the low halves as long as it stays below 2^64, and the checksum is
// congruent to that plus hi (2^32 ≡ 1 modulo 0xffff). Three vector
// operations per 32 bytes, no multiplies. A lane gets one piece per 32
// bytes, so chunks of at most avx2Chunk bytes keep both sums exact
// ((2^20/32) pieces · 2^32 < 2^64; the bound is far, a chunk is cheap).
//
// Inputs shorter than 128 bytes are summed without vectors: a 64-byte
// step, then the tail subroutines (csum_amd64.s), which also take the last
// 0..31 bytes of longer ones.

#define avx2Chunk (1<<20)

#define lo0   Y0  // sums of whole 64-bit pieces, modulo 2^64
#define lo1   Y1
#define hi0   Y2  // sums of their upper 32 bits
#define hi1   Y3
#define yzero Y8  // zero

// AVX2_ADD32 adds the 32 bytes in register x to lo and hi, clobbering x.
#define AVX2_ADD32(x, lo, hi) \
	VPADDQ x, lo, lo \
	VPSRLQ $32, x, x \
	VPADDQ x, hi, hi

// AVX2_REDUCE adds lo0+lo1 and hi0+hi1 to acc: it recovers the exact sum
// of the low halves, then adds the four 32-bit halves of it and of hi in
// 64-bit lanes (each below 2^34), then the four lanes (below 2^36), then
// that into acc. Clobbers lo0..hi1, Y4, Y5 and t.
#define AVX2_REDUCE(t) \
	VPADDQ   lo1, lo0, lo0          \
	VPADDQ   hi1, hi0, hi0          \
	VPSLLQ   $32, hi0, Y4           \
	VPSUBQ   Y4, lo0, lo0           \ // exact sum of the low halves
	VPSRLQ   $32, lo0, Y4           \
	VPSRLQ   $32, hi0, Y5           \
	VPBLENDD $0xaa, yzero, lo0, lo0 \ // low 32 bits of each lane
	VPBLENDD $0xaa, yzero, hi0, hi0 \
	VPADDQ   Y4, lo0, lo0           \
	VPADDQ   Y5, hi0, hi0           \
	VPADDQ   hi0, lo0, lo0          \
	YFOLD(VPADDQ)                   \ // lo0 is Y0
	VMOVQ    X0, t                  \
	ADDQ     t, acc                 \
	ADCQ     $0, acc

// The store arguments of AVX2_SUM: what it does with each vector it loads
// (stores it through the cache, around it to a 32-byte aligned dst, or
// nothing).
#define STORE_Y(x, off)    VMOVDQU x, off(dst)
#define STORE_Y_NT(x, off) VMOVNTDQ x, off(dst)
#define STORE_NONE(x, off)

// AVX2_SUM(store, step) adds every whole 32 bytes of the left ones at src
// to acc, passing each vector it loads to store(x, off) and moving on with
// step(n), and leaves left = the last 0..31 bytes. It works in chunks of
// at most avx2Chunk bytes: 128 bytes a round alternating between the two
// pairs of accumulators, then the chunk's last 64 and 32. Each routine of
// the tier runs it once (it has labels). Clobbers cnt, R8..R10, Y0..Y8.
#define AVX2_SUM(store, step) \
	MOVQ    left, rest                  \
	ANDQ    $31, rest                   \
	ANDQ    $~31, left                  \
	VPXOR   yzero, yzero, yzero         \
nextchunk:                              \
	NEXT_CHUNK($avx2Chunk, R9)          \
	VZERO4(lo0, lo1, hi0, hi1)          \
	MOVQ    chunk, cnt                  \ // 128 bytes a round
	SHRQ    $7, cnt                     \
	JZ      blocks                      \
loop:                                   \
	VMOVDQU 0(src), Y4                  \
	VMOVDQU 32(src), Y5                 \
	VMOVDQU 64(src), Y6                 \
	VMOVDQU 96(src), Y7                 \
	store(Y4, 0)                        \
	store(Y5, 32)                       \
	store(Y6, 64)                       \
	store(Y7, 96)                       \
	AVX2_ADD32(Y4, lo0, hi0)            \
	AVX2_ADD32(Y5, lo1, hi1)            \
	AVX2_ADD32(Y6, lo0, hi0)            \
	AVX2_ADD32(Y7, lo1, hi1)            \
	step($128)                          \
	DECQ    cnt                         \
	JNZ     loop                        \
blocks:                                 \
	TESTQ   $64, chunk                  \ // the last 64 and 32 bytes
	JZ      block32                     \
	VMOVDQU 0(src), Y4                  \
	VMOVDQU 32(src), Y5                 \
	store(Y4, 0)                        \
	store(Y5, 32)                       \
	AVX2_ADD32(Y4, lo0, hi0)            \
	AVX2_ADD32(Y5, lo1, hi1)            \
	step($64)                           \
block32:                                \
	TESTQ   $32, chunk                  \
	JZ      reduce                      \
	VMOVDQU 0(src), Y4                  \
	store(Y4, 0)                        \
	AVX2_ADD32(Y4, lo0, hi0)            \
	step($32)                           \
reduce:                                 \
	AVX2_REDUCE(R9)                     \
	TESTQ   left, left                  \
	JNZ     nextchunk                   \
	VZEROUPPER                          \
	MOVQ    rest, left

// func partialAVX2(b []byte, sum Sum) Sum
// Requires: ADX, AVX2, BMI2
TEXT ·partialAVX2(SB), NOSPLIT, $0-36
	PARTIAL_Y(AVX2_SUM, STORE_NONE, 128, SUM_SHORT)

// func copyAVX2(dst, src []byte, sum Sum) Sum
// Requires: ADX, AVX2, BMI2
TEXT ·copyAVX2(SB), NOSPLIT, $0-60
	COPY_Y(AVX2_SUM, STORE_Y, ·copyAVX2NT, 128, COPY_SHORT)

// func copyAVX2NT(dst, src []byte, sum Sum) Sum
// Requires: ADX, AVX2, BMI2
TEXT ·copyAVX2NT(SB), NOSPLIT|NOFRAME, $0-60
	COPY_NT_Y(AVX2_SUM, STORE_Y_NT)
