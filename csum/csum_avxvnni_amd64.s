//go:build amd64 && gc && !purego

#include "textflag.h"
#include "csum_amd64.h"

// amd64-avxvnni: amd64-avx512's sum on 256-bit vectors, for CPUs with the
// VEX-encoded AVX-VNNI but no AVX-512 (Alder Lake and later client cores,
// Sierra Forest): each 32 bytes take a bias VPXOR (xor 0x8000 makes word w
// into w-32768) and a VPDPWSSD, which adds the pairs of biased words, times
// a vector of ones, into 32-bit lanes. Two vector operations per 32 bytes,
// where amd64-avx2 takes three. A chunk starts one accumulator at 65536
// times the number of VPDPWSSDs the chunk will run, one per whole 32 bytes,
// which cancels the bias; a chunk is at most vnniChunk bytes, so the eight
// accumulators, added, hold in every lane the exact sum of its words, at
// most 2^15 · 2 · 65535 < 2^32 (wrap-around on the way does not matter).
//
// VPDPWSSD's latency (5 cycles on Golden Cove) against the 1.5 a cycle
// its ports can start needs eight accumulators, each taking one vector of
// a 256-byte round. The loop's shape is amd64-avx2's: inputs shorter than
// 128 bytes and the last 0..31 bytes go to the tail subroutines, and the
// copy streams around the cache from copyNTMin bytes.
//
// The Go assembler encodes VPDPWSSD on Y registers with EVEX, which needs
// AVX-512, so VNNI writes its VEX form in bytes. Every vector instruction
// here is VEX-encoded, VMOVQ included: a first version that set up its
// constants with the legacy-SSE MOVQ into X registers took 500 ns more a
// call, whatever the length, on Emerald Rapids.

#define vnniChunk (1<<20)

// vnniMin is the shortest input the tier sums itself: below it, setting up
// and adding eight accumulators costs more than amd64-avx2's loop, which
// shorter inputs go to (by a tail jump, with the same arguments, taken at
// the routine's own length test: PARTIAL_Y and COPY_Y). Measured on
// Emerald Rapids (the 5th percentile of 2000 interleaved batches, two
// runs): Partial of 128-192 bytes took 7.6-8.5 ns summed here, 6.9-7.6
// through amd64-avx2, and 7.3-7.6 with the jump; at 224 bytes all three
// were equal, and from 256 bytes this loop was faster (7.9 against 8.1-9.0
// at 256).
#define vnniMin 256

#define vlow16 Y12 // 0x0000ffff in every 32-bit lane
#define vbias  Y14 // 0x8000 in every 16-bit lane
#define vones  Y15 // 1 in every 16-bit lane

// VNNI(a, x) is VPDPWSSD Y(8+x), vones, Y(a), for a and x in 0..7:
// VEX.256.66.0F38.W0 52 /r, with Y(a) in ModRM.reg, vones in VEX.vvvv and
// Y(8+x) in ModRM.rm (VEX.B set by the inverted 0 in 0xc2).
#define VNNI(a, x) \
	BYTE $0xc4; BYTE $0xc2; BYTE $0x05; BYTE $0x52; BYTE $(0xc0|((a)<<3)|(x))

// The take arguments of VNNI_SUM: take(y, off) loads the 32 bytes at
// off(src) into y, biased, storing them first to off(dst) through the
// cache, around it to a 32-byte aligned dst, or not at all.
#define TAKE(y, off) \
	VPXOR off(src), vbias, y
#define TAKE_COPY(y, off) \
	VMOVDQU off(src), y  \
	VMOVDQU y, off(dst)  \
	VPXOR   y, vbias, y
#define TAKE_COPY_NT(y, off) \
	VMOVDQU  off(src), y \
	VMOVNTDQ y, off(dst) \
	VPXOR    y, vbias, y

// VNNI_ADD128 adds the 128 bytes at off(src), taken with take, to the
// accumulators Y(a0)..Y(a0+3), 32 bytes to each, through Y8..Y11.
#define VNNI_ADD128(take, off, a0) \
	take(Y8, off+0)   \
	take(Y9, off+32)  \
	take(Y10, off+64) \
	take(Y11, off+96) \
	VNNI(a0, 0)       \
	VNNI(a0+1, 1)     \
	VNNI(a0+2, 2)     \
	VNNI(a0+3, 3)

// VNNI_REDUCE adds the eight accumulators, folds each exact 32-bit lane
// to 17 bits (hi + lo: congruent modulo 0xffff, zero only if it was),
// adds the eight lanes (below 2^20) and that into acc. Clobbers Y0..Y7,
// Y8 and t.
#define VNNI_REDUCE(t) \
	VPADDD   Y1, Y0, Y0     \
	VPADDD   Y3, Y2, Y2     \
	VPADDD   Y5, Y4, Y4     \
	VPADDD   Y7, Y6, Y6     \
	VPADDD   Y2, Y0, Y0     \
	VPADDD   Y6, Y4, Y4     \
	VPADDD   Y4, Y0, Y0     \
	VPSRLD   $16, Y0, Y8    \
	VPAND    vlow16, Y0, Y0 \
	VPADDD   Y8, Y0, Y0     \
	LANES8_TO_ACC(t)

// VNNI_SUM(take, step) adds every whole 32 bytes of the left ones at src
// to acc, taking each vector with take and moving on with step(n), and
// leaves left = the last 0..31 bytes. It works in chunks of at most
// vnniChunk bytes: 256 bytes a round, one vector to each accumulator,
// then the chunk's last 128, 64 and 32. Each routine of the tier runs it
// once (it has labels). Clobbers cnt, R8..R10, Y0..Y15.
#define VNNI_SUM(take, step) \
	MOVQ         left, rest           \
	ANDQ         $31, rest            \
	ANDQ         $~31, left           \
	MOVL         $0x0000ffff, R9      \
	VMOVQ        R9, X12              \
	VPBROADCASTD X12, vlow16          \
	MOVL         $0x80008000, R9      \
	VMOVQ        R9, X14              \
	VPBROADCASTD X14, vbias           \
	MOVL         $0x00010001, R9      \
	VMOVQ        R9, X15              \
	VPBROADCASTD X15, vones           \
nextchunk:                            \
	NEXT_CHUNK($vnniChunk, R9)        \
	MOVQ         chunk, R9            \ // 65536 per VPDPWSSD to come
	SHRQ         $5, R9               \
	SHLQ         $16, R9              \
	VMOVQ        R9, X0               \
	VPBROADCASTD X0, Y0               \
	VPXOR        Y1, Y1, Y1           \
	VPXOR        Y2, Y2, Y2           \
	VPXOR        Y3, Y3, Y3           \
	VZERO4(Y4, Y5, Y6, Y7)            \
	MOVQ         chunk, cnt           \ // 256 bytes a round
	SHRQ         $8, cnt              \
	JZ           blocks               \
loop:                                 \
	VNNI_ADD128(take, 0, 0)           \
	VNNI_ADD128(take, 128, 4)         \
	step($256)                        \
	DECQ         cnt                  \
	JNZ          loop                 \
blocks:                               \
	TESTQ        $128, chunk          \ // the last 128, 64 and 32 bytes
	JZ           block64              \
	VNNI_ADD128(take, 0, 0)           \
	step($128)                        \
block64:                              \
	TESTQ        $64, chunk           \
	JZ           block32              \
	take(Y8, 0)                       \
	take(Y9, 32)                      \
	VNNI(4, 0)                        \
	VNNI(5, 1)                        \
	step($64)                         \
block32:                              \
	TESTQ        $32, chunk           \
	JZ           reduce               \
	take(Y10, 0)                      \
	VNNI(6, 2)                        \
	step($32)                         \
reduce:                               \
	VNNI_REDUCE(R9)                   \
	TESTQ        left, left           \
	JNZ          nextchunk            \
	VZEROUPPER                        \
	MOVQ         rest, left

// func partialAVXVNNI(b []byte, sum Sum) Sum
// Requires: ADX, AVX2, AVXVNNI, BMI2
TEXT ·partialAVXVNNI(SB), NOSPLIT, $0-36
	PARTIAL_Y(VNNI_SUM, TAKE, vnniMin, JMP ·partialAVX2(SB))

// func copyAVXVNNI(dst, src []byte, sum Sum) Sum
// Requires: ADX, AVX2, AVXVNNI, BMI2
TEXT ·copyAVXVNNI(SB), NOSPLIT, $0-60
	COPY_Y(VNNI_SUM, TAKE_COPY, ·copyAVXVNNINT, vnniMin, JMP ·copyAVX2(SB))

// func copyAVXVNNINT(dst, src []byte, sum Sum) Sum
// Requires: ADX, AVX2, AVXVNNI, BMI2
TEXT ·copyAVXVNNINT(SB), NOSPLIT|NOFRAME, $0-60
	COPY_NT_Y(VNNI_SUM, TAKE_COPY_NT)
