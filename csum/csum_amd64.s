//go:build amd64 && gc && !purego

#include "textflag.h"

// The Internet checksum on amd64, in four tiers (see csum_amd64.go).
//
// Every routine keeps a 64-bit ones'-complement accumulator in a general
// register: each ADD is followed, sooner or later, by an ADC of its carry
// (2^64 ≡ 1 modulo 2^64-1, a multiple of 0xffff). Modulo 0xffff a word may
// sit at any even byte offset of a wider number (2^16 ≡ 1), so 64-bit loads
// sum four words at once, and vector lanes may be folded in any order as
// long as no carry is lost. The accumulator is zero only when the initial
// sum and every byte are: that keeps Linux's 0 versus 0xffff distinction.
//
// A block that several routines run is a macro, with the routine-specific
// parts (registers, store instructions, carry-chain instructions) as
// arguments; the machine code is what the routines spelt out. A macro that
// defines labels can be used once per routine (COPY_TAIL63 takes its label
// names, so that copyAVX2NT can use it twice).

#define src   SI // next byte to read
#define dst   DI // next byte to write (Copy)
#define left  BX // bytes left
#define acc   AX // the 64-bit ones'-complement sum, carries folded in
#define cnt   CX // rounds left in a loop

// FOLD32 folds the 64-bit accumulator r to 32 bits with an end-around
// carry (it stays zero only if it was), clobbering t.
#define FOLD32(r, t) \
	MOVQ r, t    \
	SHRQ $32, t  \
	ADDL t, r    \
	ADCL $0, r

// SUM64 adds the 64 bytes at p to r on one carry chain.
#define SUM64(p, r) \
	ADDQ 0(p), r  \
	ADCQ 8(p), r  \
	ADCQ 16(p), r \
	ADCQ 24(p), r \
	ADCQ 32(p), r \
	ADCQ 40(p), r \
	ADCQ 48(p), r \
	ADCQ 56(p), r \
	ADCQ $0, r

// CHAIN64 continues carry chains over the 64 bytes at off(src): the even
// quadwords go to r0 with add0, the odd ones to r1 with add1 (ADCQ into
// acc for both on the one chain of the scalar tier; ADCXQ and ADOXQ on the
// two chains of the ADX tier). The last carries stay in the flags.
#define CHAIN64(off, add0, r0, add1, r1) \
	add0 off+0(src), r0  \
	add1 off+8(src), r1  \
	add0 off+16(src), r0 \
	add1 off+24(src), r1 \
	add0 off+32(src), r0 \
	add1 off+40(src), r1 \
	add0 off+48(src), r0 \
	add1 off+56(src), r1

// SUM_TAIL63 adds the last k&63 bytes at p to r (advancing p, but not past
// an odd last byte), clobbering t0 and t1. Pieces of 32, 16 and 8 bytes go
// on a carry chain; the last 0..7 bytes are loaded as 4, 2 and 1 bytes,
// never past the end, and summed in t0 where they cannot carry. An odd last byte is the low byte
// of its word, as if followed by a zero. Labels: one use per routine.
#define SUM_TAIL63(p, k, r, t0, t1) \
	TESTQ $32, k      \
	JZ    tail16      \
	ADDQ  0(p), r     \
	ADCQ  8(p), r     \
	ADCQ  16(p), r    \
	ADCQ  24(p), r    \
	ADCQ  $0, r       \
	ADDQ  $32, p      \
tail16:               \
	TESTQ $16, k      \
	JZ    tail8       \
	ADDQ  0(p), r     \
	ADCQ  8(p), r     \
	ADCQ  $0, r       \
	ADDQ  $16, p      \
tail8:                \
	TESTQ $8, k       \
	JZ    tail4       \
	ADDQ  0(p), r     \
	ADCQ  $0, r       \
	ADDQ  $8, p       \
tail4:                \
	XORL  t0, t0      \
	TESTQ $4, k       \
	JZ    tail2       \
	MOVL  0(p), t0    \
	ADDQ  $4, p       \
tail2:                \
	TESTQ $2, k       \
	JZ    tail1       \
	MOVWQZX 0(p), t1  \
	ADDQ  t1, t0      \
	ADDQ  $2, p       \
tail1:                \
	TESTQ $1, k       \
	JZ    taildone    \
	MOVBQZX 0(p), t1  \
	ADDQ  t1, t0      \
taildone:             \
	ADDQ  t0, r       \
	ADCQ  $0, r

// SUM_TAIL127 adds the last k&127 bytes at p to r: 64 of them with SUM64,
// the rest with SUM_TAIL63. Labels: one use per routine.
#define SUM_TAIL127(p, k, r, t0, t1) \
	TESTQ $64, k               \
	JZ    below64              \
	SUM64(p, r)                \
	ADDQ  $64, p               \
below64:                       \
	SUM_TAIL63(p, k, r, t0, t1)

// MOVE32 copies the 32 bytes at off(s) to off(d) through t0..t3.
#define MOVE32(s, d, off, t0, t1, t2, t3) \
	MOVQ off+0(s), t0  \
	MOVQ off+8(s), t1  \
	MOVQ off+16(s), t2 \
	MOVQ off+24(s), t3 \
	MOVQ t0, off+0(d)  \
	MOVQ t1, off+8(d)  \
	MOVQ t2, off+16(d) \
	MOVQ t3, off+24(d)

// COPY32 copies the 32 bytes at s to d through t0..t3 and adds them to r
// on one carry chain.
#define COPY32(s, d, r, t0, t1, t2, t3) \
	MOVE32(s, d, 0, t0, t1, t2, t3) \
	ADDQ t0, r     \
	ADCQ t1, r     \
	ADCQ t2, r     \
	ADCQ t3, r     \
	ADCQ $0, r

// COPY_CHAIN64 copies the 64 bytes at src to dst through t0..t3 and
// continues carry chains over them as CHAIN64 does.
#define COPY_CHAIN64(add0, r0, add1, r1, t0, t1, t2, t3) \
	MOVE32(src, dst, 0, t0, t1, t2, t3)  \
	add0 t0, r0                          \
	add1 t1, r1                          \
	add0 t2, r0                          \
	add1 t3, r1                          \
	MOVE32(src, dst, 32, t0, t1, t2, t3) \
	add0 t0, r0                          \
	add1 t1, r1                          \
	add0 t2, r0                          \
	add1 t3, r1

// COPY_TAIL63 copies the last k&63 bytes from s to d and adds them to r
// as SUM_TAIL63 does, advancing s and d (but not past an odd last byte),
// clobbering t0..t3. L16..LD name
// its labels, so that a routine can use it twice.
#define COPY_TAIL63(s, d, k, r, t0, t1, t2, t3, L16, L8, L4, L2, L1, LD) \
	TESTQ $32, k       \
	JZ    L16      \
	COPY32(s, d, r, t0, t1, t2, t3) \
	ADDQ  $32, s       \
	ADDQ  $32, d       \
L16:               \
	TESTQ $16, k       \
	JZ    L8       \
	MOVQ  0(s), t0     \
	MOVQ  8(s), t1     \
	MOVQ  t0, 0(d)     \
	MOVQ  t1, 8(d)     \
	ADDQ  t0, r        \
	ADCQ  t1, r        \
	ADCQ  $0, r        \
	ADDQ  $16, s       \
	ADDQ  $16, d       \
L8:                \
	TESTQ $8, k        \
	JZ    L4       \
	MOVQ  0(s), t0     \
	MOVQ  t0, 0(d)     \
	ADDQ  t0, r        \
	ADCQ  $0, r        \
	ADDQ  $8, s        \
	ADDQ  $8, d        \
L4:                \
	XORL  t0, t0       \
	TESTQ $4, k        \
	JZ    L2       \
	MOVL  0(s), t0     \
	MOVL  t0, 0(d)     \
	ADDQ  $4, s        \
	ADDQ  $4, d        \
L2:                \
	TESTQ $2, k        \
	JZ    L1       \
	MOVWQZX 0(s), t1   \
	MOVW  t1, 0(d)     \
	ADDQ  t1, t0       \
	ADDQ  $2, s        \
	ADDQ  $2, d        \
L1:                \
	TESTQ $1, k        \
	JZ    LD    \
	MOVBQZX 0(s), t1   \
	MOVB  t1, 0(d)     \
	ADDQ  t1, t0       \
LD:             \
	ADDQ  t0, r        \
	ADCQ  $0, r

// COPY_TAIL127 copies the last k&127 bytes from s to d and adds them to r:
// 64 of them with COPY32, the rest with COPY_TAIL63. Labels: one use per
// routine, and none with another COPY_TAIL63 labelled c16..cdone.
#define COPY_TAIL127(s, d, k, r, t0, t1, t2, t3) \
	TESTQ $64, k                    \
	JZ    below64                   \
	COPY32(s, d, r, t0, t1, t2, t3) \
	ADDQ  $32, s                    \
	ADDQ  $32, d                    \
	COPY32(s, d, r, t0, t1, t2, t3) \
	ADDQ  $32, s                    \
	ADDQ  $32, d                    \
below64:                            \
	COPY_TAIL63(s, d, k, r, t0, t1, t2, t3, c16, c8, c4, c2, c1, cdone)

// NEXT_CHUNK takes the next chunk of the vector tiers off left: k gets
// min(left, max) bytes and left the rest. Clobbers t.
#define NEXT_CHUNK(max, k, t) \
	MOVQ    left, k \
	MOVQ    max, t  \
	CMPQ    k, t    \
	CMOVQHI t, k    \
	SUBQ    k, left

// NT_HEAD starts a streaming copy: k gets the bytes up to where dst is
// aligned to mask+1 (at most left), which left loses.
#define NT_HEAD(mask, k) \
	MOVQ    dst, k  \
	NEGQ    k       \
	ANDQ    mask, k \
	CMPQ    k, left \
	CMOVQHI left, k \
	SUBQ    k, left

// NT_JOIN ends a streaming copy: acc holds the sum, from zero, of the
// bytes from stream offset off on, and head that of the bytes before; it
// adds them in acc. An odd off puts every byte of the rest in the other
// half of its word, so their sum turns by a byte first.
#define NT_JOIN(off, head) \
	TESTQ $1, off   \
	JZ    even      \
	ROLQ  $8, acc   \
even:               \
	ADDQ  head, acc \
	ADCQ  $0, acc

// ---------------------------------------------------------------------------
// amd64-scalar: one ADC chain, plain x86-64.

// func partialScalar(b []byte, sum Sum) Sum
// Requires: nothing beyond x86-64 (v1).
TEXT ·partialScalar(SB), NOSPLIT, $0-36
	MOVQ b_base+0(FP), src
	MOVQ b_len+8(FP), left
	MOVL sum+24(FP), acc

	// 64 bytes a round on one ADC chain. The carry stays in CF from round
	// to round (LEAQ and DECQ leave it alone) and is added after the last.
	MOVQ left, cnt
	SHRQ $6, cnt
	JZ   tail
	CLC

loop:
	CHAIN64(0, ADCQ, acc, ADCQ, acc)
	LEAQ 64(src), src
	DECQ cnt
	JNZ  loop
	ADCQ $0, acc

tail:
	// The last 0..63 bytes.
	SUM_TAIL63(src, left, acc, DX, R8)
	FOLD32(acc, DX)
	MOVL acc, ret+32(FP)
	RET

// func copyScalar(dst, src []byte, sum Sum) Sum
// Requires: nothing beyond x86-64 (v1).
TEXT ·copyScalar(SB), NOSPLIT, $0-60
	MOVQ dst_base+0(FP), dst
	MOVQ src_base+24(FP), src
	MOVQ src_len+32(FP), left
	MOVL sum+48(FP), acc

	// 64 bytes a round: load into registers, store, add on one ADC chain
	// that carries from round to round as in partialScalar.
	MOVQ left, cnt
	SHRQ $6, cnt
	JZ   tail
	CLC

loop:
	COPY_CHAIN64(ADCQ, acc, ADCQ, acc, DX, R8, R9, R10)
	LEAQ 64(src), src
	LEAQ 64(dst), dst
	DECQ cnt
	JNZ  loop
	ADCQ $0, acc

tail:
	// The last 0..63 bytes.
	COPY_TAIL63(src, dst, left, acc, DX, R8, R9, R10, c16, c8, c4, c2, c1, cdone)
	FOLD32(acc, DX)
	MOVL acc, ret+56(FP)
	RET

// ---------------------------------------------------------------------------
// amd64-adx: two carry chains, ADCX through CF and ADOX through OF.

#define acc1 DX // the second accumulator, on the OF chain
#define zero R8 // zero, and then CF out of the ADCX chain
#define zro1 R9 // zero, and then OF out of the ADOX chain

// ADX_START starts the two chains: it zeroes acc1, zero and zro1.
#define ADX_START \
	XORL acc1, acc1 \ // also clears CF and OF
	XORL zero, zero \
	XORL zro1, zro1

// ADX_END ends the two chains: it adds CF, OF and acc1 into acc.
#define ADX_END \
	ADCXQ zero, zero \ // zero = CF: 0+0+CF cannot carry
	ADOXQ zro1, zro1 \ // zro1 = OF
	ADDQ  acc1, acc  \
	ADCQ  zero, acc  \
	ADCQ  zro1, acc  \
	ADCQ  $0, acc

// func partialADX(b []byte, sum Sum) Sum
// Requires: ADX
TEXT ·partialADX(SB), NOSPLIT, $0-36
	MOVQ b_base+0(FP), src
	MOVQ b_len+8(FP), left
	MOVL sum+24(FP), acc

	// 256 bytes a round on two chains that run side by side. Nothing in
	// the loop may touch CF or OF, so it counts with LEAQ and ends on
	// JCXZ, which reads no flags.
	MOVQ left, cnt
	SHRQ $8, cnt
	JZ   below256
	ADX_START

loop:
	CHAIN64(0, ADCXQ, acc, ADOXQ, acc1)
	CHAIN64(64, ADCXQ, acc, ADOXQ, acc1)
	CHAIN64(128, ADCXQ, acc, ADOXQ, acc1)
	CHAIN64(192, ADCXQ, acc, ADOXQ, acc1)
	LEAQ  256(src), src
	LEAQ  -1(cnt), cnt
	JCXZQ done
	JMP   loop

done:
	ADX_END

below256:
	// The last 0..255 bytes on one ADC chain: 128, then SUM_TAIL127.
	TESTQ $128, left
	JZ    below128
	SUM64(src, acc)
	ADDQ  $64, src
	SUM64(src, acc)
	ADDQ  $64, src

below128:
	SUM_TAIL127(src, left, acc, R10, R11)
	FOLD32(acc, DX)
	MOVL acc, ret+32(FP)
	RET

// func copyADX(dst, src []byte, sum Sum) Sum
// Requires: ADX
TEXT ·copyADX(SB), NOSPLIT, $0-60
	MOVQ dst_base+0(FP), dst
	MOVQ src_base+24(FP), src
	MOVQ src_len+32(FP), left
	MOVL sum+48(FP), acc

	// 64 bytes a round: load into registers, store them, add them on the
	// two chains of partialADX.
	MOVQ left, cnt
	SHRQ $6, cnt
	JZ   tail
	ADX_START

loop:
	COPY_CHAIN64(ADCXQ, acc, ADOXQ, acc1, R10, R11, R12, R13)
	LEAQ  64(src), src
	LEAQ  64(dst), dst
	LEAQ  -1(cnt), cnt
	JCXZQ done
	JMP   loop

done:
	ADX_END

tail:
	// The last 0..63 bytes.
	COPY_TAIL63(src, dst, left, acc, R10, R11, R12, R13, c16, c8, c4, c2, c1, cdone)
	FOLD32(acc, DX)
	MOVL acc, ret+56(FP)
	RET

#undef acc1
#undef zero
#undef zro1

// ---------------------------------------------------------------------------
// amd64-avx2: every 64-bit lane adds the whole of each 8-byte piece into
// lo (modulo 2^64, losing carries) and its upper 32 bits into hi (exact).
// Since the pieces are hi·2^32 + low halves, lo - hi<<32 is the exact sum
// of the low halves as long as it stays below 2^64, and the checksum is
// congruent to that plus hi (2^32 ≡ 1 modulo 0xffff). Three vector
// operations per 32 bytes, no multiplies. A lane gets one piece per 32
// bytes, so chunks of at most avx2Chunk bytes keep both sums exact
// ((2^20/32) pieces · 2^32 < 2^64; the bound is far, a chunk is cheap).

#define avx2Chunk (1<<20)

#define lo0  Y0 // sums of whole 64-bit pieces, modulo 2^64
#define lo1  Y1
#define hi0  Y2 // sums of their upper 32 bits
#define hi1  Y3
#define yzero Y8

// AVX2_ADD32 adds the 32 bytes in register x to lo and hi, clobbering x.
#define AVX2_ADD32(x, lo, hi) \
	VPADDQ x, lo, lo   \
	VPSRLQ $32, x, x   \
	VPADDQ x, hi, hi

// YFOLD adds the lanes of Y0 down to the low 64 bits of X0: its two
// 128-bit halves, then the two 64-bit halves of that, with add (VPADDQ on
// 64-bit lanes, VPADDD on 32-bit ones). Clobbers X4.
#define YFOLD(add) \
	VEXTRACTI128 $1, Y0, X4 \
	add     X4, X0, X0      \
	VPSHUFD $0x4e, X0, X4   \
	add     X4, X0, X0

// AVX2_REDUCE adds lo0+lo1 and hi0+hi1 to acc: it recovers the exact sum
// of the low halves, then adds the four 32-bit halves of it and of hi in
// 64-bit lanes (each below 2^34), then the four lanes (below 2^36), then
// that into acc. Clobbers lo0..hi1, Y4, Y5 and t.
#define AVX2_REDUCE(t) \
	VPADDQ   lo1, lo0, lo0         \
	VPADDQ   hi1, hi0, hi0         \
	VPSLLQ   $32, hi0, Y4          \
	VPSUBQ   Y4, lo0, lo0          \ // exact sum of the low halves
	VPSRLQ   $32, lo0, Y4          \
	VPSRLQ   $32, hi0, Y5          \
	VPBLENDD $0xaa, yzero, lo0, lo0 \ // low 32 bits of each lane
	VPBLENDD $0xaa, yzero, hi0, hi0 \
	VPADDQ   Y4, lo0, lo0          \
	VPADDQ   Y5, hi0, hi0          \
	VPADDQ   hi0, lo0, lo0         \
	YFOLD(VPADDQ)                  \ // lo0 is Y0
	VMOVQ    X0, t                 \
	ADDQ     t, acc                \
	ADCQ     $0, acc

// The stores of AVX2_CHUNKS: through the cache, around it (to a 32-byte
// aligned dst), or none (Partial); and its pointer steps.
#define STORE_Y(x, off)    VMOVDQU x, off(dst)
#define STORE_Y_NT(x, off) VMOVNTDQ x, off(dst)
#define STORE_NONE(x, off)
#define ADVANCE_SRC_DST(n) ADDQ n, src; ADDQ n, dst
#define ADVANCE_SRC(n)     ADDQ n, src

// AVX2_CHUNKS sums the left bytes at src, a multiple of 32, into acc in
// chunks: 128 bytes a round alternating between two pairs of
// accumulators, then the last 64 and 32 of the chunk. Each vector it
// loads goes to store(x, off) (STORE_Y, STORE_Y_NT or STORE_NONE) and
// advance(n) moves the pointers on (ADVANCE_SRC_DST or ADVANCE_SRC).
// Needs yzero; clobbers cnt, R8, R9 and Y0..Y7.
#define AVX2_CHUNKS(store, advance) \
chunk:                             \
	NEXT_CHUNK($avx2Chunk, R8, R9) \
	VPXOR   lo0, lo0, lo0          \
	VPXOR   lo1, lo1, lo1          \
	VPXOR   hi0, hi0, hi0          \
	VPXOR   hi1, hi1, hi1          \
	MOVQ    R8, cnt                \ // 128 bytes a round
	SHRQ    $7, cnt                \
	JZ      blocks                 \
loop:                              \
	VMOVDQU 0(src), Y4             \
	VMOVDQU 32(src), Y5            \
	VMOVDQU 64(src), Y6            \
	VMOVDQU 96(src), Y7            \
	store(Y4, 0)                   \
	store(Y5, 32)                  \
	store(Y6, 64)                  \
	store(Y7, 96)                  \
	AVX2_ADD32(Y4, lo0, hi0)       \
	AVX2_ADD32(Y5, lo1, hi1)       \
	AVX2_ADD32(Y6, lo0, hi0)       \
	AVX2_ADD32(Y7, lo1, hi1)       \
	advance($128)                  \
	DECQ    cnt                    \
	JNZ     loop                   \
blocks:                            \
	TESTQ   $64, R8                \ // the last 64 and 32 bytes
	JZ      block32                \
	VMOVDQU 0(src), Y4             \
	VMOVDQU 32(src), Y5            \
	store(Y4, 0)                   \
	store(Y5, 32)                  \
	AVX2_ADD32(Y4, lo0, hi0)       \
	AVX2_ADD32(Y5, lo1, hi1)       \
	advance($64)                   \
block32:                           \
	TESTQ   $32, R8                \
	JZ      reduce                 \
	VMOVDQU 0(src), Y4             \
	store(Y4, 0)                   \
	AVX2_ADD32(Y4, lo0, hi0)       \
	advance($32)                   \
reduce:                            \
	AVX2_REDUCE(R9)                \
	TESTQ   left, left             \
	JNZ     chunk

// AVX2_WHOLE32 runs AVX2_CHUNKS over every whole 32 bytes of the left
// ones and leaves left = the last 0..31 for the scalar code (R10 keeps
// them meanwhile). Clobbers cnt, R8..R10 and Y0..Y8.
#define AVX2_WHOLE32(store, advance) \
	MOVQ  left, R10               \
	ANDQ  $31, R10                \
	ANDQ  $~31, left              \
	VPXOR yzero, yzero, yzero     \
	AVX2_CHUNKS(store, advance)   \
	VZEROUPPER                    \
	MOVQ  R10, left

// func partialAVX2(b []byte, sum Sum) Sum
// Requires: AVX2
TEXT ·partialAVX2(SB), NOSPLIT, $0-36
	MOVQ b_base+0(FP), src
	MOVQ b_len+8(FP), left
	MOVL sum+24(FP), acc
	CMPQ left, $128
	JB   short

	// Every whole 32 bytes in vectors, in chunks; the rest below.
	AVX2_WHOLE32(STORE_NONE, ADVANCE_SRC)

short:
	// Fewer than 128 bytes, or the last 0..31: no vector set-up.
	SUM_TAIL127(src, left, acc, R8, R9)
	FOLD32(acc, DX)
	MOVL acc, ret+32(FP)
	RET

// func copyAVX2(dst, src []byte, sum Sum) Sum
// Requires: AVX2
TEXT ·copyAVX2(SB), NOSPLIT, $0-60
	MOVQ dst_base+0(FP), dst
	MOVQ src_base+24(FP), src
	MOVQ src_len+32(FP), left
	MOVL sum+48(FP), acc
	CMPQ left, $128
	JB   short
	CMPQ left, ·copyNTMin(SB)
	JAE  streaming

	// Every whole 32 bytes loaded, stored and added as in partialAVX2.
	AVX2_WHOLE32(STORE_Y, ADVANCE_SRC_DST)

short:
	// Fewer than 128 bytes, or the last 0..31: no vector set-up.
	COPY_TAIL127(src, dst, left, acc, R8, R9, R11, R12)
	FOLD32(acc, DX)
	MOVL acc, ret+56(FP)
	RET

streaming:
	JMP ·copyAVX2NT(SB)

// func copyAVX2NT(dst, src []byte, sum Sum) Sum
// Requires: AVX2
TEXT ·copyAVX2NT(SB), NOSPLIT, $0-60
	MOVQ dst_base+0(FP), dst
	MOVQ src_base+24(FP), src
	MOVQ src_len+32(FP), left
	MOVL sum+48(FP), acc
	VPXOR yzero, yzero, yzero

	// Copy and sum the head, up to where dst is 32-byte aligned (at most
	// all of it), with the scalar tail code: R11 = its length.
	NT_HEAD($31, R11)
	COPY_TAIL63(src, dst, R11, acc, R8, R9, R12, R13, h16, h8, h4, h2, h1, hdone)
	MOVQ dst_base+0(FP), dst // the tail code leaves them short of an odd last byte
	ADDQ R11, dst
	MOVQ src_base+24(FP), src
	ADDQ R11, src

	// The rest starts at stream offset R11: sum it from zero in acc and
	// move it to its byte lanes afterwards. R13 keeps the head's sum.
	// Its whole 32 bytes are stored around the cache; R10 keeps the rest.
	MOVQ acc, R13
	XORL acc, acc
	MOVQ left, R10
	ANDQ $31, R10
	ANDQ $~31, left
	JZ   rest
	AVX2_CHUNKS(STORE_Y_NT, ADVANCE_SRC_DST)
	SFENCE

rest:
	// The last 0..31 bytes, through the cache.
	MOVQ R10, left
	COPY_TAIL63(src, dst, left, acc, R8, R9, R10, R12, c16, c8, c4, c2, c1, cdone)
	VZEROUPPER
	NT_JOIN(R11, R13)
	FOLD32(acc, DX)
	MOVL acc, ret+56(FP)
	RET

#undef lo0
#undef lo1
#undef hi0
#undef hi1
#undef yzero

// ---------------------------------------------------------------------------
// amd64-avx512: VPDPWSSD multiplies 16-bit words by a vector of ones and
// adds the pairs into 32-bit lanes: one instruction sums 64 bytes. It is
// signed, so every word is biased first (xor 0x8000 makes w into w-32768),
// and each VPDPWSSD then adds its true pair sum minus 65536 to a lane. A
// chunk starts one accumulator at 65536 times the number of VPDPWSSDs the
// chunk will run, which cancels the bias; a chunk is at most avx512Chunk
// bytes, so the four accumulators, added, hold in every lane the exact sum
// of its words, below 2^14 · 2 · 65535 < 2^32 (wrap-around on the way does
// not matter). The last 1..63 bytes come in through a masked load, which
// reads nothing past them.

#define avx512Chunk (1<<20)

#define zacc0 Z0 // the four accumulators
#define zacc1 Z1
#define zacc2 Z2
#define zacc3 Z3
#define low16 Z29 // 0x0000ffff in every 32-bit lane
#define bias  Z30 // 0x8000 in every 16-bit lane
#define ones  Z31 // 1 in every 16-bit lane

// AVX512_SETUP loads the constants through t.
#define AVX512_SETUP(t) \
	MOVL $0x0000ffff, t    \
	VPBROADCASTD t, low16  \
	MOVL $0x80008000, t    \
	VPBROADCASTD t, bias   \
	MOVL $0x00010001, t    \
	VPBROADCASTD t, ones

// AVX512_START zeroes the accumulators for a chunk of k bytes, but for
// zacc0: 65536 per VPDPWSSD to come, one per 64 bytes or part of them.
// Clobbers t.
#define AVX512_START(k, t) \
	LEAQ  63(k), t            \
	SHRQ  $6, t               \
	SHLQ  $16, t              \
	VPBROADCASTD t, zacc0     \
	VPXORD zacc1, zacc1, zacc1 \
	VPXORD zacc2, zacc2, zacc2 \
	VPXORD zacc3, zacc3, zacc3

// AVX512_ADD64 adds the 64 bytes in register x to a, clobbering x.
#define AVX512_ADD64(x, a) \
	VPXORD   x, bias, x \
	VPDPWSSD x, ones, a

// AVX512_COPY_MASKED copies the first k bytes (1..63) at src to dst with
// a masked load and store, which touch nothing past them, and adds them
// to zacc3. Clobbers t, K1 and Z7.
#define AVX512_COPY_MASKED(k, t) \
	MOVQ      $-1, t           \
	BZHIQ     k, t, t          \
	KMOVQ     t, K1            \
	VMOVDQU8.Z 0(src), K1, Z7  \
	VMOVDQU8  Z7, K1, 0(dst)   \
	AVX512_ADD64(Z7, zacc3)

// AVX512_REDUCE adds the four accumulators, folds each exact 32-bit lane
// to 17 bits (hi + lo: congruent modulo 0xffff, zero only if it was),
// adds the sixteen lanes (below 2^21) and that into acc. Clobbers the
// accumulators, Z4 and t.
#define AVX512_REDUCE(t) \
	VPADDD  zacc1, zacc0, zacc0 \
	VPADDD  zacc3, zacc2, zacc2 \
	VPADDD  zacc2, zacc0, zacc0 \
	VPSRLD  $16, zacc0, Z4      \
	VPANDD  low16, zacc0, zacc0 \
	VPADDD  Z4, zacc0, zacc0    \
	VEXTRACTI64X4 $1, Z0, Y4    \
	VPADDD  Y4, Y0, Y0          \
	YFOLD(VPADDD)               \
	VPSHUFD $0xb1, X0, X4       \
	VPADDD  X4, X0, X0          \
	VMOVD   X0, t               \
	ADDQ    t, acc              \
	ADCQ    $0, acc

// func partialAVX512(b []byte, sum Sum) Sum
// Requires: AVX512F, AVX512BW, AVX512VNNI, BMI2
TEXT ·partialAVX512(SB), NOSPLIT, $0-36
	MOVQ b_base+0(FP), src
	MOVQ b_len+8(FP), left
	MOVL sum+24(FP), acc
	CMPQ left, $128
	JB   short
	AVX512_SETUP(R9)

chunk:
	// R8 = the bytes of this chunk.
	NEXT_CHUNK($avx512Chunk, R8, R9)
	AVX512_START(R8, R9)

	// 256 bytes a round, one 64-byte vector to each accumulator.
	MOVQ R8, cnt
	SHRQ $8, cnt
	JZ   blocks

loop:
	VPXORD   0(src), bias, Z4
	VPXORD   64(src), bias, Z5
	VPXORD   128(src), bias, Z6
	VPXORD   192(src), bias, Z7
	VPDPWSSD Z4, ones, zacc0
	VPDPWSSD Z5, ones, zacc1
	VPDPWSSD Z6, ones, zacc2
	VPDPWSSD Z7, ones, zacc3
	ADDQ     $256, src
	DECQ     cnt
	JNZ      loop

blocks:
	// The last 128 and 64 bytes of the chunk, each to its own accumulator.
	TESTQ     $128, R8
	JZ        block64
	VMOVDQU64 0(src), Z4
	VMOVDQU64 64(src), Z5
	AVX512_ADD64(Z4, zacc0)
	AVX512_ADD64(Z5, zacc1)
	ADDQ      $128, src

block64:
	TESTQ     $64, R8
	JZ        block0
	VMOVDQU64 0(src), Z6
	AVX512_ADD64(Z6, zacc2)
	ADDQ      $64, src

block0:
	// The last 1..63 bytes of the input: load them alone, zeros above.
	ANDQ  $63, R8
	JZ    reduce
	MOVQ  $-1, R9
	BZHIQ R8, R9, R9
	KMOVQ R9, K1
	VMOVDQU8.Z 0(src), K1, Z7
	AVX512_ADD64(Z7, zacc3)

reduce:
	AVX512_REDUCE(R9)
	TESTQ left, left
	JNZ   chunk
	VZEROUPPER
	FOLD32(acc, DX)
	MOVL acc, ret+32(FP)
	RET

short:
	// Fewer than 128 bytes: one carry chain, no vector set-up.
	SUM_TAIL127(src, left, acc, R8, R9)
	FOLD32(acc, DX)
	MOVL acc, ret+32(FP)
	RET

// PREFETCHW_AHEAD asks for the four destination lines 2 KiB ahead in a
// writable state, so that a cached copy does not wait on them one by one,
// but only while the last of them is inside dst: R10 holds the last dst
// from which 2240(dst) is (it is end-2241, and cannot wrap: Go maps nothing
// below 4096). PREFETCHW is a hint that cannot fault, but one past the end
// would still pull in, and claim, a line the copy was not given. The Go
// assembler lacks it (0F 0D /1; every AVX-512 CPU has it, and CPUs without
// it run it as a NOP).
#define PREFETCHW_AHEAD \
	CMPQ dst, R10 \
	JHI  noprefetch \
	BYTE $0x0f; BYTE $0x0d; BYTE $0x8f; LONG $0x00000800 \ // PREFETCHW 2048(DI)
	BYTE $0x0f; BYTE $0x0d; BYTE $0x8f; LONG $0x00000840 \ // PREFETCHW 2112(DI)
	BYTE $0x0f; BYTE $0x0d; BYTE $0x8f; LONG $0x00000880 \ // PREFETCHW 2176(DI)
	BYTE $0x0f; BYTE $0x0d; BYTE $0x8f; LONG $0x000008c0 \ // PREFETCHW 2240(DI)
noprefetch:

// NO_PREFETCH stands for PREFETCHW_AHEAD in a streaming copy, whose
// non-temporal stores must not find the lines in the cache.
#define NO_PREFETCH

// AVX512_COPY_CHUNKS copies and sums left bytes in chunks, storing whole
// vectors with the instruction store (VMOVDQU64, or VMOVNTDQ when dst is
// 64-byte aligned) after prefetch (PREFETCHW_AHEAD or NO_PREFETCH), and
// the last 1..63 bytes with a masked store, which writes nothing past
// them. Clobbers cnt, R8, R9, Z0..Z7 and K1.
#define AVX512_COPY_CHUNKS(store, prefetch) \
chunk:                             \
	NEXT_CHUNK($avx512Chunk, R8, R9) \
	AVX512_START(R8, R9)           \
	MOVQ    R8, cnt                \ // 256 bytes a round
	SHRQ    $8, cnt                \
	JZ      blocks                 \
loop:                              \
	prefetch                       \
	VMOVDQU64 0(src), Z4           \
	VMOVDQU64 64(src), Z5          \
	VMOVDQU64 128(src), Z6         \
	VMOVDQU64 192(src), Z7         \
	store     Z4, 0(dst)           \
	store     Z5, 64(dst)          \
	store     Z6, 128(dst)         \
	store     Z7, 192(dst)         \
	AVX512_ADD64(Z4, zacc0)        \
	AVX512_ADD64(Z5, zacc1)        \
	AVX512_ADD64(Z6, zacc2)        \
	AVX512_ADD64(Z7, zacc3)        \
	ADDQ      $256, src            \
	ADDQ      $256, dst            \
	DECQ      cnt                  \
	JNZ       loop                 \
blocks:                            \
	TESTQ     $128, R8             \ // the last 128 and 64 bytes
	JZ        block64              \
	VMOVDQU64 0(src), Z4           \
	VMOVDQU64 64(src), Z5          \
	store     Z4, 0(dst)           \
	store     Z5, 64(dst)          \
	AVX512_ADD64(Z4, zacc0)        \
	AVX512_ADD64(Z5, zacc1)        \
	ADDQ      $128, src            \
	ADDQ      $128, dst            \
block64:                           \
	TESTQ     $64, R8              \
	JZ        block0               \
	VMOVDQU64 0(src), Z6           \
	store     Z6, 0(dst)           \
	AVX512_ADD64(Z6, zacc2)        \
	ADDQ      $64, src             \
	ADDQ      $64, dst             \
block0:                            \
	ANDQ      $63, R8              \ // the last 1..63 bytes
	JZ        reduce               \
	AVX512_COPY_MASKED(R8, R9)     \
	ADDQ      R8, src              \
	ADDQ      R8, dst              \
reduce:                            \
	AVX512_REDUCE(R9)              \
	TESTQ     left, left           \
	JNZ       chunk

// func copyAVX512(dst, src []byte, sum Sum) Sum
// Requires: AVX512F, AVX512BW, AVX512VNNI, BMI2, PREFETCHW (a hint)
TEXT ·copyAVX512(SB), NOSPLIT, $0-60
	MOVQ dst_base+0(FP), dst
	MOVQ src_base+24(FP), src
	MOVQ src_len+32(FP), left
	MOVL sum+48(FP), acc
	CMPQ left, $128
	JB   short
	CMPQ left, ·copyNTMin(SB)
	JAE  streaming
	AVX512_SETUP(R9)
	LEAQ -2241(dst)(left*1), R10 // the bound of PREFETCHW_AHEAD

	// 256 bytes a round as in partialAVX512, stored as they are loaded.
	AVX512_COPY_CHUNKS(VMOVDQU64, PREFETCHW_AHEAD)
	VZEROUPPER
	FOLD32(acc, DX)
	MOVL acc, ret+56(FP)
	RET

short:
	// Fewer than 128 bytes: one carry chain, no vector set-up.
	COPY_TAIL127(src, dst, left, acc, R8, R9, R10, R11)
	FOLD32(acc, DX)
	MOVL acc, ret+56(FP)
	RET

streaming:
	JMP ·copyAVX512NT(SB)

// func copyAVX512NT(dst, src []byte, sum Sum) Sum
// Requires: AVX512F, AVX512BW, AVX512VNNI, BMI2
TEXT ·copyAVX512NT(SB), NOSPLIT, $0-60
	MOVQ dst_base+0(FP), dst
	MOVQ src_base+24(FP), src
	MOVQ src_len+32(FP), left
	MOVL sum+48(FP), acc
	AVX512_SETUP(R9)

	// Copy and sum the head, up to where dst is 64-byte aligned (at most
	// all of it), with a masked load and store: R11 = its length.
	NT_HEAD($63, R11)
	TESTQ R11, R11
	JZ    aligned
	AVX512_START(R11, R9)
	AVX512_COPY_MASKED(R11, R9)
	AVX512_REDUCE(R9)
	ADDQ  R11, src
	ADDQ  R11, dst

aligned:
	// The rest starts at stream offset R11: sum it from zero in acc and
	// move it to its byte lanes afterwards. R12 keeps the head's sum.
	MOVQ  acc, R12
	XORL  acc, acc
	TESTQ left, left
	JZ    done
	AVX512_COPY_CHUNKS(VMOVNTDQ, NO_PREFETCH)
	SFENCE

done:
	VZEROUPPER
	NT_JOIN(R11, R12)
	FOLD32(acc, DX)
	MOVL acc, ret+56(FP)
	RET
