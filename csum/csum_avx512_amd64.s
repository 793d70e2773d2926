//go:build amd64 && gc && !purego

#include "textflag.h"
#include "csum_amd64.h"

// amd64-avx512: VPDPWSSD multiplies 16-bit words by a vector of ones and
// adds the pairs into 32-bit lanes: one instruction sums 64 bytes. It is
// signed, so every word is biased first (xor 0x8000 makes w into w-32768),
// and each VPDPWSSD then adds its true pair sum minus 65536 to a lane. A
// chunk starts one accumulator at 65536 times the number of VPDPWSSDs the
// chunk will run, which cancels the bias; a chunk is at most avx512Chunk
// bytes, so the accumulators (four, or eight in the rounds from 4 KiB),
// added, hold in every lane the exact sum of its words, below
// 2^14 · 2 · 65535 < 2^32 (wrap-around on the way does not matter). The
// last 1..63 bytes come in through a masked load, which reads nothing past
// them, and a copy writes them with a masked store.
//
// Inputs shorter than 128 bytes are summed without vectors: a 64-byte
// step, then the tail subroutines (csum_amd64.s).
//
// The tier has the shape of amd64-avx2, with two differences. It ends on
// a masked load and store, where amd64-avx2 (which has no byte masks)
// ends on the tail subroutines. And the copies share a loop macro,
// AVX512_COPY, that partialAVX512 does not use: its loads fold into their
// VPXORD (a copy must keep each vector in a register to store it) and its
// masked tail stores nothing, so one macro for all three routines would
// take four arguments (store, pointer step, masked store, prefetch) where
// AVX2_SUM takes two. partialAVX512's rounds are AVX512_SUM256 instead.

#define avx512Chunk (1<<20)

#define zacc0 Z0  // the four accumulators
#define zacc1 Z1
#define zacc2 Z2
#define zacc3 Z3
#define zaccx0 Z8 // four more, in the rounds from 4 KiB
#define zaccx1 Z9
#define zaccx2 Z10
#define zaccx3 Z11
#define low16 Z29 // 0x0000ffff in every 32-bit lane
#define bias  Z30 // 0x8000 in every 16-bit lane
#define ones  Z31 // 1 in every 16-bit lane
#define pfmax R10 // copyAVX512: the last dst that PREFETCHW_AHEAD may run at

// AVX512_SETUP loads the constants through t.
#define AVX512_SETUP(t) \
	MOVL         $0x0000ffff, t \
	VPBROADCASTD t, low16       \
	MOVL         $0x80008000, t \
	VPBROADCASTD t, bias        \
	MOVL         $0x00010001, t \
	VPBROADCASTD t, ones

// AVX512_START zeroes the accumulators for a chunk of k bytes, but for
// zacc0: 65536 per VPDPWSSD to come, one per 64 bytes or part of them.
// Clobbers t.
#define AVX512_START(k, t) \
	LEAQ         63(k), t            \
	SHRQ         $6, t               \
	SHLQ         $16, t              \
	VPBROADCASTD t, zacc0            \
	VPXORD       zacc1, zacc1, zacc1 \
	VPXORD       zacc2, zacc2, zacc2 \
	VPXORD       zacc3, zacc3, zacc3

// AVX512_ADD64 adds the 64 bytes in register x to a, clobbering x.
#define AVX512_ADD64(x, a) \
	VPXORD   x, bias, x \
	VPDPWSSD x, ones, a

// AVX512_SUM256 adds the 256 bytes at o(src) to a0..a3, 64 bytes to each,
// through Z4..Z7. Its loads fold into their VPXORD.
#define AVX512_SUM256(o, a0, a1, a2, a3) \
	VPXORD   o+0(src), bias, Z4   \
	VPXORD   o+64(src), bias, Z5  \
	VPXORD   o+128(src), bias, Z6 \
	VPXORD   o+192(src), bias, Z7 \
	VPDPWSSD Z4, ones, a0         \
	VPDPWSSD Z5, ones, a1         \
	VPDPWSSD Z6, ones, a2         \
	VPDPWSSD Z7, ones, a3

// AVX512_WIDE_START begins a chunk's run of 512-byte rounds into eight
// accumulators, from 4 KiB (cnt >= 16): with four, a round waits on the
// latency of each accumulator's VPDPWSSD (5 cycles on Intel) rather than on
// its ports. It zeroes zaccx0..3 and sets R9 to the 512-byte rounds in
// cnt's 256-byte ones. Below 4 KiB the extra zeroings and adds cost what
// the rounds gain.
#define AVX512_WIDE_START \
	VPXORD zaccx0, zaccx0, zaccx0 \
	VPXORD zaccx1, zaccx1, zaccx1 \
	VPXORD zaccx2, zaccx2, zaccx2 \
	VPXORD zaccx3, zaccx3, zaccx3 \
	MOVQ   cnt, R9                \
	SHRQ   $1, R9

// AVX512_WIDE_END ends the run: it adds zaccx0..3 into zacc0..3, which
// leaves the chunk's count of VPDPWSSDs, and with it the bias, as it was,
// and leaves in cnt (and the flags) the 256-byte round still to do, 0 or 1.
#define AVX512_WIDE_END \
	VPADDD zaccx0, zacc0, zacc0 \
	VPADDD zaccx1, zacc1, zacc1 \
	VPADDD zaccx2, zacc2, zacc2 \
	VPADDD zaccx3, zacc3, zacc3 \
	ANDQ   $1, cnt

// AVX512_MASK sets K1 to the low k bits (k is 1..63), through t.
#define AVX512_MASK(k, t) \
	MOVQ  $-1, t   \
	BZHIQ k, t, t  \
	KMOVQ t, K1

// AVX512_COPY_MASKED copies the first k bytes (1..63) at src to dst with
// a masked load and store, which touch nothing past them, and adds them
// to zacc3. Clobbers t, K1 and Z7.
#define AVX512_COPY_MASKED(k, t) \
	AVX512_MASK(k, t)          \
	VMOVDQU8.Z 0(src), K1, Z7  \
	VMOVDQU8   Z7, K1, 0(dst)  \
	AVX512_ADD64(Z7, zacc3)

// AVX512_REDUCE adds the four accumulators, folds each exact 32-bit lane
// to 17 bits (hi + lo: congruent modulo 0xffff, zero only if it was),
// adds the sixteen lanes (below 2^21) and that into acc. Clobbers the
// accumulators, Z4 and t.
#define AVX512_REDUCE(t) \
	VPADDD        zacc1, zacc0, zacc0 \
	VPADDD        zacc3, zacc2, zacc2 \
	VPADDD        zacc2, zacc0, zacc0 \
	VPSRLD        $16, zacc0, Z4      \
	VPANDD        low16, zacc0, zacc0 \
	VPADDD        Z4, zacc0, zacc0    \
	VEXTRACTI64X4 $1, Z0, Y4          \
	VPADDD        Y4, Y0, Y0          \
	LANES8_TO_ACC(t)

// func partialAVX512(b []byte, sum Sum) Sum
// Requires: ADX, AVX2, BMI2, AVX512F, AVX512BW, AVX512VL, AVX512VNNI
TEXT ·partialAVX512(SB), NOSPLIT, $0-36
	MOVQ b_base+0(FP), src
	MOVQ b_len+8(FP), left
	MOVL sum+24(FP), acc
	CMPQ left, $128
	JAE  vector

	// Fewer than 128 bytes: no vector set-up.
	LEAQ ret+32(FP), out
	SUM_SHORT

vector:
	AVX512_SETUP(R9)

nextchunk:
	NEXT_CHUNK($avx512Chunk, R9)
	AVX512_START(chunk, R9)
	MOVQ chunk, cnt
	SHRQ $8, cnt
	JZ   blocks
	CMPQ cnt, $16
	JB   loop
	AVX512_WIDE_START

loop8:
	AVX512_SUM256(0, zacc0, zacc1, zacc2, zacc3)
	AVX512_SUM256(256, zaccx0, zaccx1, zaccx2, zaccx3)
	ADDQ $512, src
	DECQ R9
	JNZ  loop8
	AVX512_WIDE_END
	JZ   blocks

loop:
	// 256 bytes a round, one 64-byte vector to each accumulator.
	AVX512_SUM256(0, zacc0, zacc1, zacc2, zacc3)
	ADDQ     $256, src
	DECQ     cnt
	JNZ      loop

blocks:
	// The last 128 and 64 bytes of the chunk, each to its own accumulator.
	TESTQ     $128, chunk
	JZ        block64
	VMOVDQU64 0(src), Z4
	VMOVDQU64 64(src), Z5
	AVX512_ADD64(Z4, zacc0)
	AVX512_ADD64(Z5, zacc1)
	ADDQ      $128, src

block64:
	TESTQ     $64, chunk
	JZ        block0
	VMOVDQU64 0(src), Z6
	AVX512_ADD64(Z6, zacc2)
	ADDQ      $64, src

block0:
	// The last 1..63 bytes of the input: load them alone, zeros above.
	ANDQ       $63, chunk
	JZ         reduce
	AVX512_MASK(chunk, R9)
	VMOVDQU8.Z 0(src), K1, Z7
	AVX512_ADD64(Z7, zacc3)

reduce:
	AVX512_REDUCE(R9)
	TESTQ left, left
	JNZ   nextchunk
	VZEROUPPER
	FOLD32(acc, DX)
	MOVL  acc, ret+32(FP)
	RET

// PREFETCHW_AHEAD asks for the four destination lines 2 KiB ahead in a
// writable state, so that a cached copy does not wait on them one by one,
// but only while the last of them is inside dst: while dst <= pfmax. A
// prefetch cannot fault, but one past the end would still pull in, and
// claim, a line the copy was not given. The Go assembler lacks PREFETCHW
// (0F 0D /1); every AVX-512 CPU has it, and CPUs without it run it as a
// NOP, so no tier checks for it. skip names the label past the
// prefetches, which each use needs its own of.
#define PREFETCHW_AHEAD(skip) \
	CMPQ dst, pfmax                                      \
	JHI  skip                                            \
	BYTE $0x0f; BYTE $0x0d; BYTE $0x8f; LONG $0x00000800 \ // PREFETCHW 2048(DI)
	BYTE $0x0f; BYTE $0x0d; BYTE $0x8f; LONG $0x00000840 \ // PREFETCHW 2112(DI)
	BYTE $0x0f; BYTE $0x0d; BYTE $0x8f; LONG $0x00000880 \ // PREFETCHW 2176(DI)
	BYTE $0x0f; BYTE $0x0d; BYTE $0x8f; LONG $0x000008c0 \ // PREFETCHW 2240(DI)
skip:

// NO_PREFETCH stands for PREFETCHW_AHEAD in a streaming copy, whose
// non-temporal stores must not find the lines in the cache.
#define NO_PREFETCH(skip)

// AVX512_COPY256(store, prefetch, skip, a0, a1, a2, a3) runs prefetch with
// its label skip, copies the 256 bytes at src to dst with the instruction
// store, adds them to a0..a3, 64 bytes to each, and moves src and dst past
// them. Clobbers Z4..Z7.
#define AVX512_COPY256(store, prefetch, skip, a0, a1, a2, a3) \
	prefetch(skip)           \
	VMOVDQU64 0(src), Z4     \
	VMOVDQU64 64(src), Z5    \
	VMOVDQU64 128(src), Z6   \
	VMOVDQU64 192(src), Z7   \
	store     Z4, 0(dst)     \
	store     Z5, 64(dst)    \
	store     Z6, 128(dst)   \
	store     Z7, 192(dst)   \
	AVX512_ADD64(Z4, a0)     \
	AVX512_ADD64(Z5, a1)     \
	AVX512_ADD64(Z6, a2)     \
	AVX512_ADD64(Z7, a3)     \
	STEP_SRC_DST($256)

// AVX512_COPY(store, prefetch) copies and sums the left bytes at src in
// chunks as partialAVX512 sums them, storing whole vectors with the
// instruction store (VMOVDQU64, or VMOVNTDQ when dst is 64-byte aligned)
// after prefetch (PREFETCHW_AHEAD or NO_PREFETCH) in each 256-byte round,
// and the last 1..63 bytes with AVX512_COPY_MASKED; from 4 KiB a chunk
// runs 512-byte rounds into eight accumulators, as partialAVX512 does. Each
// copy runs it once (it has labels). Clobbers cnt, R8, R9, Z0..Z11 and K1.
#define AVX512_COPY(store, prefetch) \
nextchunk:                              \
	NEXT_CHUNK($avx512Chunk, R9)        \
	AVX512_START(chunk, R9)             \
	MOVQ      chunk, cnt                \ // 256 bytes a round
	SHRQ      $8, cnt                   \
	JZ        blocks                    \
	CMPQ      cnt, $16                  \
	JB        loop                      \
	AVX512_WIDE_START                   \
loop8:                                  \
	AVX512_COPY256(store, prefetch, skip8a, zacc0, zacc1, zacc2, zacc3)     \
	AVX512_COPY256(store, prefetch, skip8b, zaccx0, zaccx1, zaccx2, zaccx3) \
	DECQ      R9                        \
	JNZ       loop8                     \
	AVX512_WIDE_END                     \
	JZ        blocks                    \
	PCALIGN   $32                       \ // 2-4% slower below 4 KiB without it, in one session
loop:                                   \
	AVX512_COPY256(store, prefetch, skip4, zacc0, zacc1, zacc2, zacc3) \
	DECQ      cnt                       \
	JNZ       loop                      \
blocks:                                 \
	TESTQ     $128, chunk               \ // the last 128 and 64 bytes
	JZ        block64                   \
	VMOVDQU64 0(src), Z4                \
	VMOVDQU64 64(src), Z5               \
	store     Z4, 0(dst)                \
	store     Z5, 64(dst)               \
	AVX512_ADD64(Z4, zacc0)             \
	AVX512_ADD64(Z5, zacc1)             \
	STEP_SRC_DST($128)                  \
block64:                                \
	TESTQ     $64, chunk                \
	JZ        block0                    \
	VMOVDQU64 0(src), Z6                \
	store     Z6, 0(dst)                \
	AVX512_ADD64(Z6, zacc2)             \
	STEP_SRC_DST($64)                   \
block0:                                 \
	ANDQ      $63, chunk                \ // the last 1..63 bytes
	JZ        reduce                    \
	AVX512_COPY_MASKED(chunk, R9)       \
	STEP_SRC_DST(chunk)                 \
reduce:                                 \
	AVX512_REDUCE(R9)                   \
	TESTQ     left, left                \
	JNZ       nextchunk

// func copyAVX512(dst, src []byte, sum Sum) Sum
// Requires: ADX, AVX2, BMI2, AVX512F, AVX512BW, AVX512VL, AVX512VNNI
TEXT ·copyAVX512(SB), NOSPLIT, $0-60
	MOVQ dst_base+0(FP), dst
	MOVQ src_base+24(FP), src
	MOVQ src_len+32(FP), left
	MOVL sum+48(FP), acc
	CMPQ left, $128
	JAE  vector

	// Fewer than 128 bytes: no vector set-up.
	LEAQ ret+56(FP), out
	COPY_SHORT

vector:
	CMPQ left, ·copyNTMin(SB)
	JAE  streaming
	AVX512_SETUP(R9)

	// pfmax is the last dst from which 2240(dst) is inside dst; it cannot
	// wrap, since Go maps nothing below 4096.
	LEAQ -2241(dst)(left*1), pfmax
	AVX512_COPY(VMOVDQU64, PREFETCHW_AHEAD)
	VZEROUPPER
	FOLD32(acc, DX)
	MOVL acc, ret+56(FP)
	RET

streaming:
	JMP ·copyAVX512NT(SB)

// func copyAVX512NT(dst, src []byte, sum Sum) Sum
// Requires: ADX, AVX2, BMI2, AVX512F, AVX512BW, AVX512VL, AVX512VNNI
TEXT ·copyAVX512NT(SB), NOSPLIT, $0-60
	MOVQ dst_base+0(FP), dst
	MOVQ src_base+24(FP), src
	MOVQ src_len+32(FP), left
	MOVL sum+48(FP), acc
	AVX512_SETUP(R9)

	// The head, up to where dst is 64-byte aligned, with a masked load and
	// store.
	NT_HEAD($63)
	SUBQ  head, left
	TESTQ head, head
	JZ    aligned
	AVX512_START(head, R9)
	AVX512_COPY_MASKED(head, R9)
	AVX512_REDUCE(R9)
	ADDQ  head, src
	ADDQ  head, dst

aligned:
	// The rest around the cache, summed from zero; NT_JOIN adds the head.
	MOVQ  acc, hsum
	XORL  acc, acc
	TESTQ left, left
	JZ    done
	AVX512_COPY(VMOVNTDQ, NO_PREFETCH)
	SFENCE

done:
	VZEROUPPER
	NT_JOIN
	FOLD32(acc, DX)
	MOVL acc, ret+56(FP)
	RET
