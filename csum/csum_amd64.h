// What every amd64 tier shares: the registers, the small macros and the
// set-up and end of the streaming copies. csum_amd64.s holds amd64-scalar,
// amd64-adx and the tail subroutines, csum_sse2_amd64.s amd64-sse2,
// csum_avx2_amd64.s amd64-avx2, csum_avxvnni_amd64.s amd64-avxvnni,
// csum_avx512_amd64.s amd64-avx512;
// csum_amd64.go chooses among them.
//
// Every routine keeps a 64-bit ones'-complement accumulator in a general
// register: each ADD is followed, sooner or later, by an ADC of its carry
// (2^64 ≡ 1 modulo 2^64-1, a multiple of 0xffff). Modulo 0xffff a word may
// sit at any even byte offset of a wider number (2^16 ≡ 1), so 64-bit loads
// sum four words at once, and vector lanes may be folded in any order as
// long as no carry is lost. The accumulator is zero only when the initial
// sum and every byte are: that keeps Linux's 0 versus 0xffff distinction.
//
// A macro here is a few instructions with a name and no labels. A block
// with branches is a subroutine (sumTail, copyTail) whose register inputs
// and outputs are written above it, or a macro that each routine runs
// once: a tier's one loop macro, or SUM_SHORT and COPY_SHORT.

// The numbers of the tiers (tierAVX512 ... in csum_amd64.go, which a test
// holds to these), by which activePartial and activeCopy jump to the
// active one. 0 is the portable Go code.
#define TIER_AVX512  1
#define TIER_AVX2    2
#define TIER_ADX     3
#define TIER_SCALAR  4
#define TIER_SSE2    5
#define TIER_AVXVNNI 6

// SHORT_LEN is shortLen of csum.go (the same test holds them equal): the
// longest input activePartial sums itself, in straight code written for 64:
// two 32-byte blocks at most.
#define SHORT_LEN 64

// The registers every routine, and the tail subroutines, give one meaning.
#define src  SI  // next byte to read
#define dst  DI  // next byte to write (Copy)
#define left BX  // bytes left
#define acc  AX  // the 64-bit ones'-complement sum, carries folded in
#define cnt  CX  // rounds left in a loop
#define out  R11 // where the tail subroutines write the folded sum

// The registers of a streaming (non-temporal) copy, which copies a head
// through the cache up to where dst is aligned, and the rest around it.
#define head R12 // the head's length: the stream offset of the rest
#define hsum R13 // the head's sum

// FOLD32 folds the 64-bit accumulator r to 32 bits with an end-around
// carry (it stays zero only if it was), clobbering t.
#define FOLD32(r, t) \
	MOVQ r, t   \
	SHRQ $32, t \
	ADDL t, r   \
	ADCL $0, r

// CHAIN32 starts a carry chain over the 32 bytes at src into acc; the
// last carry stays in the flags.
#define CHAIN32 \
	ADDQ 0(src), acc  \
	ADCQ 8(src), acc  \
	ADCQ 16(src), acc \
	ADCQ 24(src), acc

// ADD32 adds the 32 bytes at src to acc on one carry chain and moves src
// past them.
#define ADD32 \
	CHAIN32      \
	ADCQ $0, acc \
	ADDQ $32, src

// ADD16 adds the 16 bytes at src to acc on one carry chain and moves src
// past them.
#define ADD16 \
	ADDQ 0(src), acc \
	ADCQ 8(src), acc \
	ADCQ $0, acc     \
	ADDQ $16, src

// ADD64 adds the 64 bytes at src to acc on one carry chain and moves src
// past them.
#define ADD64 \
	CHAIN32           \
	ADCQ 32(src), acc \
	ADCQ 40(src), acc \
	ADCQ 48(src), acc \
	ADCQ 56(src), acc \
	ADCQ $0, acc      \
	ADDQ $64, src

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

// MOVE32 copies the 32 bytes at off(src) to off(dst) through t0..t3.
#define MOVE32(off, t0, t1, t2, t3) \
	MOVQ off+0(src), t0  \
	MOVQ off+8(src), t1  \
	MOVQ off+16(src), t2 \
	MOVQ off+24(src), t3 \
	MOVQ t0, off+0(dst)  \
	MOVQ t1, off+8(dst)  \
	MOVQ t2, off+16(dst) \
	MOVQ t3, off+24(dst)

// ADD_CHAIN4 adds t0..t3 to a on one carry chain and adds its carry back
// at once, which cannot carry again: a chain that starts with ADDQ and
// carries out leaves at most 2^64-2.
#define ADD_CHAIN4(t0, t1, t2, t3, a) \
	ADDQ t0, a \
	ADCQ t1, a \
	ADCQ t2, a \
	ADCQ t3, a \
	ADCQ $0, a

// COPY32 copies the 32 bytes at src to dst through t0..t3 and adds them
// to acc on one carry chain.
#define COPY32(t0, t1, t2, t3) \
	MOVE32(0, t0, t1, t2, t3) \
	ADD_CHAIN4(t0, t1, t2, t3, acc)

// COPY64 copies the 64 bytes at src to dst through t0..t3, adds them to
// acc on two carry chains of 32 and moves src and dst past them.
#define COPY64(t0, t1, t2, t3) \
	COPY32(t0, t1, t2, t3) \
	ADDQ $32, src          \
	ADDQ $32, dst          \
	COPY32(t0, t1, t2, t3) \
	ADDQ $32, src          \
	ADDQ $32, dst

// COPY_CHAIN64 copies the 64 bytes at src to dst through t0..t3 and
// continues carry chains over them as CHAIN64 does.
#define COPY_CHAIN64(add0, r0, add1, r1, t0, t1, t2, t3) \
	MOVE32(0, t0, t1, t2, t3)  \
	add0 t0, r0                \
	add1 t1, r1                \
	add0 t2, r0                \
	add1 t3, r1                \
	MOVE32(32, t0, t1, t2, t3) \
	add0 t0, r0                \
	add1 t1, r1                \
	add0 t2, r0                \
	add1 t3, r1

// The pointer steps of the vector tiers' loop macros: Partial moves src
// on by n bytes, Copy src and dst.
#define STEP_SRC(n)     ADDQ n, src
#define STEP_SRC_DST(n) ADDQ n, src; ADDQ n, dst

// The vector tiers sum in chunks, short enough that their lanes cannot
// overflow.
#define chunk R8 // the bytes of this chunk

// NEXT_CHUNK takes the next chunk off left: chunk gets min(left, max)
// bytes and left the rest. Clobbers t.
#define NEXT_CHUNK(max, t) \
	MOVQ    left, chunk \
	MOVQ    max, t      \
	CMPQ    chunk, t    \
	CMOVQHI t, chunk    \
	SUBQ    chunk, left

// YFOLD adds the lanes of Y0 down to the low 64 bits of X0: its two
// 128-bit halves, then the two 64-bit halves of that, with add (VPADDQ on
// 64-bit lanes, VPADDD on 32-bit ones). Clobbers X4.
#define YFOLD(add) \
	VEXTRACTI128 $1, Y0, X4 \
	add     X4, X0, X0      \
	VPSHUFD $0x4e, X0, X4   \
	add     X4, X0, X0

// LANES8_TO_ACC adds the eight 32-bit lanes of Y0, each below 2^29 so
// that their sum fits in 32 bits, into acc. Clobbers X0, X4 and t.
#define LANES8_TO_ACC(t) \
	YFOLD(VPADDD)          \
	VPSHUFD $0xb1, X0, X4  \
	VPADDD  X4, X0, X0     \
	VMOVD   X0, t          \
	ADDQ    t, acc         \
	ADCQ    $0, acc

// VZERO4 zeroes four Y registers.
#define VZERO4(a, b, c, d) \
	VPXOR a, a, a \
	VPXOR b, b, b \
	VPXOR c, c, c \
	VPXOR d, d, d

// SUM_SHORT ends a vector tier's Partial of fewer than 128 bytes without
// vector set-up: a 64-byte step if there is one, then sumTail, which
// returns (out must be set). One use per routine: it has a label.
#define SUM_SHORT \
	TESTQ $64, left \
	JZ    short63   \
	ADD64           \
short63:            \
	JMP ·sumTail(SB)

// COPY_SHORT is SUM_SHORT for Copy, with copyTail.
#define COPY_SHORT \
	TESTQ $64, left         \
	JZ    short63           \
	COPY64(R8, R9, R10, DX) \
short63:                    \
	JMP ·copyTail(SB)

// NT_HEAD starts a streaming copy: head gets the bytes up to where dst is
// aligned to mask+1, at most left.
#define NT_HEAD(mask) \
	MOVQ    dst, head  \
	NEGQ    head       \
	ANDQ    mask, head \
	CMPQ    head, left \
	CMOVQHI left, head

// NT_JOIN ends a streaming copy: acc holds the sum, from zero, of the
// bytes from stream offset head on, and hsum that of the head; it adds
// them in acc. An odd head puts every later byte in the other half of its
// word, so their sum turns by 8·(head&1) bits first (ROLQ takes its count
// in CX, which is cnt). Clobbers CX.
#define NT_JOIN \
	MOVL  head, CX  \
	ANDL  $1, CX    \
	SHLL  $3, CX    \
	ROLQ  CX, acc   \
	ADDQ  hsum, acc \
	ADCQ  $0, acc

// rest keeps, while a vector tier's loop runs, the length whose low bits
// give the last bytes the loop leaves to the tail subroutines.
#define rest R10

// The routines of the 256-bit tiers (amd64-avx2, amd64-avxvnni), around
// their loop macro loop(take, step): loop sums every whole 32 bytes of
// the left ones at src into acc, passing each vector to take (which may
// store it to dst), moves on with step(n), and leaves left = the last
// 0..31 bytes; the tail subroutines take those.

// PARTIAL_Y is the body of a 256-bit tier's Partial: inputs shorter than
// vmin bytes go to short, which ends the routine without the tier's vector
// set-up (SUM_SHORT below 128 bytes, or a jump to another tier's Partial),
// longer ones through loop, the last 0..31 bytes through sumTail.
#define PARTIAL_Y(loop, take, vmin, short) \
	MOVQ b_base+0(FP), src   \
	MOVQ b_len+8(FP), left   \
	MOVL sum+24(FP), acc     \
	LEAQ ret+32(FP), out     \
	CMPQ left, $vmin         \
	JAE  vector              \
	short                    \
vector:                      \
	loop(take, STEP_SRC)     \
	JMP  ·sumTail(SB)

// COPY_Y is the body of a 256-bit tier's Copy, as PARTIAL_Y with copyTail
// (short: COPY_SHORT below 128 bytes, or a jump to another tier's Copy),
// which continues as the streaming copy nt from copyNTMin bytes.
#define COPY_Y(loop, take, nt, vmin, short) \
	MOVQ dst_base+0(FP), dst      \
	MOVQ src_base+24(FP), src     \
	MOVQ src_len+32(FP), left     \
	MOVL sum+48(FP), acc          \
	LEAQ ret+56(FP), out          \
	CMPQ left, $vmin              \
	JAE  vector                   \
	short                         \
vector:                           \
	CMPQ left, ·copyNTMin(SB)     \
	JAE  streaming                \
	loop(take, STEP_SRC_DST)      \
	JMP  ·copyTail(SB)            \
streaming:                        \
	JMP  nt(SB)

// COPY_NT_Y is the body of a 256-bit tier's streaming copy, a NOFRAME
// routine (its CALLs to copyTail need no frame, and the assembler would
// otherwise save BP around them): the head, up to where dst is 32-byte
// aligned, through the cache with copyTail; then the rest, from the
// arguments (copyTail leaves the pointers short of an odd last byte):
// its whole 32 bytes around the cache through loop with take, summed
// from zero, then its last 0..31 through it; NT_JOIN adds the head.
#define COPY_NT_Y(loop, take)     \
	MOVQ dst_base+0(FP), dst      \
	MOVQ src_base+24(FP), src     \
	MOVQ src_len+32(FP), left     \
	MOVL sum+48(FP), acc          \
	NT_HEAD($31)                  \
	MOVQ head, left               \
	LEAQ ret+56(FP), out          \
	CALL ·copyTail(SB)            \
	MOVQ dst_base+0(FP), dst      \
	ADDQ head, dst                \
	MOVQ src_base+24(FP), src     \
	ADDQ head, src                \
	MOVQ src_len+32(FP), left     \
	SUBQ head, left               \
	MOVQ acc, hsum                \
	XORL acc, acc                 \
	CMPQ left, $32                \
	JB   last                     \
	loop(take, STEP_SRC_DST)      \
	SFENCE                        \
last:                             \
	CALL ·copyTail(SB)            \
	NT_JOIN                       \
	FOLD32(acc, DX)               \
	MOVL acc, ret+56(FP)          \
	RET
