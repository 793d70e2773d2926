//go:build amd64 && gc && !purego

#include "textflag.h"
#include "csum_amd64.h"

// The Internet checksum on amd64: the tail subroutines that every tier
// ends with, the two tiers without vectors, and the dispatch to the active
// tier (csum_amd64.h says what the files share).

// ---------------------------------------------------------------------------
// The tails: the last 0..63 bytes of every routine. Pieces of 32, 16 and
// 8 bytes go on a carry chain; the last 0..7 bytes are loaded as 4, 2 and
// 1 bytes, never past the end, and summed in R8, where they cannot carry.
// An odd last byte is the low byte of its word, as if followed by a zero.
//
// A tail also ends its routine: it folds acc to 32 bits and writes it to
// (out). A routine jumps to it (JMP) with out = &ret, so that the tail's
// RET returns from the routine; a streaming copy calls it (CALL), carries
// on from the folded sum and writes its own result over it at the end.
// The tails have no frame and no Go declaration (NOFRAME tells vet's
// asmdecl not to look for one). Requires: none.

// TAIL_END ends a tail: it adds R8 (the last 0..7 bytes) to acc, folds
// acc to 32 bits, writes it to (out) and returns. Clobbers DX.
#define TAIL_END \
	ADDQ R8, acc    \
	ADCQ $0, acc    \
	FOLD32(acc, DX) \
	MOVL acc, (out) \
	RET

// sumTail adds the last left&63 bytes at src to acc, folds acc to 32 bits
// and writes it to (out).
//
// Inputs:   src, left (only its low 6 bits are read), acc, out
// Output:   acc, folded to 32 bits, and the same at (out)
// Clobbers: src (left short of an odd last byte), DX, R8, R9, flags
TEXT ·sumTail(SB), NOSPLIT|NOFRAME, $0
	TESTQ $32, left
	JZ    below32
	ADD32

below32:
	TESTQ $16, left
	JZ    below16
	ADD16

below16:
	TESTQ $8, left
	JZ    below8
	ADDQ  0(src), acc
	ADCQ  $0, acc
	ADDQ  $8, src

below8:
	XORL  R8, R8
	TESTQ $4, left
	JZ    below4
	MOVL  0(src), R8
	ADDQ  $4, src

below4:
	TESTQ   $2, left
	JZ      below2
	MOVWQZX 0(src), R9
	ADDQ    R9, R8
	ADDQ    $2, src

below2:
	TESTQ   $1, left
	JZ      done
	MOVBQZX 0(src), R9
	ADDQ    R9, R8

done:
	TAIL_END

// copyTail copies the last left&63 bytes from src to dst, adds them to
// acc, folds acc to 32 bits and writes it to (out), as sumTail does.
//
// Inputs:   src, dst, left (only its low 6 bits are read), acc, out
// Output:   acc, folded to 32 bits, and the same at (out)
// Clobbers: src, dst (left short of an odd last byte), DX, R8..R10, flags
TEXT ·copyTail(SB), NOSPLIT|NOFRAME, $0
	TESTQ $32, left
	JZ    below32
	COPY32(R8, R9, R10, DX)
	ADDQ  $32, src
	ADDQ  $32, dst

below32:
	TESTQ $16, left
	JZ    below16
	MOVQ  0(src), R8
	MOVQ  8(src), R9
	MOVQ  R8, 0(dst)
	MOVQ  R9, 8(dst)
	ADDQ  R8, acc
	ADCQ  R9, acc
	ADCQ  $0, acc
	ADDQ  $16, src
	ADDQ  $16, dst

below16:
	TESTQ $8, left
	JZ    below8
	MOVQ  0(src), R8
	MOVQ  R8, 0(dst)
	ADDQ  R8, acc
	ADCQ  $0, acc
	ADDQ  $8, src
	ADDQ  $8, dst

below8:
	XORL  R8, R8
	TESTQ $4, left
	JZ    below4
	MOVL  0(src), R8
	MOVL  R8, 0(dst)
	ADDQ  $4, src
	ADDQ  $4, dst

below4:
	TESTQ   $2, left
	JZ      below2
	MOVWQZX 0(src), R9
	MOVW    R9, 0(dst)
	ADDQ    R9, R8
	ADDQ    $2, src
	ADDQ    $2, dst

below2:
	TESTQ   $1, left
	JZ      done
	MOVBQZX 0(src), R9
	MOVB    R9, 0(dst)
	ADDQ    R9, R8

done:
	TAIL_END

// ---------------------------------------------------------------------------
// amd64-scalar: one ADC chain, 64 bytes a round. The carry stays in CF
// from round to round (LEAQ and DECQ leave it alone) and is added after
// the last.

// func partialScalar(b []byte, sum Sum) Sum
// Requires: none
TEXT ·partialScalar(SB), NOSPLIT, $0-36
	MOVQ b_base+0(FP), src
	MOVQ b_len+8(FP), left
	MOVL sum+24(FP), acc
	LEAQ ret+32(FP), out
	MOVQ left, cnt
	SHRQ $6, cnt
	JNZ  rounds
	JMP  ·sumTail(SB)

rounds:
	CLC

loop:
	CHAIN64(0, ADCQ, acc, ADCQ, acc)
	LEAQ 64(src), src
	DECQ cnt
	JNZ  loop
	ADCQ $0, acc
	JMP  ·sumTail(SB)

// func copyScalar(dst, src []byte, sum Sum) Sum
// Requires: none
TEXT ·copyScalar(SB), NOSPLIT, $0-60
	MOVQ dst_base+0(FP), dst
	MOVQ src_base+24(FP), src
	MOVQ src_len+32(FP), left
	MOVL sum+48(FP), acc
	LEAQ ret+56(FP), out
	MOVQ left, cnt
	SHRQ $6, cnt
	JNZ  rounds
	JMP  ·copyTail(SB)

rounds:
	CLC

loop:
	COPY_CHAIN64(ADCQ, acc, ADCQ, acc, DX, R8, R9, R10)
	LEAQ 64(src), src
	LEAQ 64(dst), dst
	DECQ cnt
	JNZ  loop
	ADCQ $0, acc
	JMP  ·copyTail(SB)

// ---------------------------------------------------------------------------
// amd64-adx: two carry chains that run side by side, ADCX through CF and
// ADOX through OF. Nothing in a loop may touch CF or OF, so it counts with
// LEAQ and ends on JCXZ, which reads no flags.

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
	LEAQ ret+32(FP), out
	MOVQ left, cnt
	SHRQ $8, cnt
	JNZ  rounds

below256:
	// The last 0..255 bytes on one ADC chain: 128 and 64 (out of line,
	// so that short inputs run straight on), then sumTail.
	TESTQ $128, left
	JNZ   add128

below128:
	TESTQ $64, left
	JNZ   add64
	JMP   ·sumTail(SB)

add128:
	ADD64
	ADD64
	JMP below128

add64:
	ADD64
	JMP ·sumTail(SB)

rounds:
	ADX_START

loop:
	// 256 bytes a round on the two chains.
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
	JMP below256

// func copyADX(dst, src []byte, sum Sum) Sum
// Requires: ADX
TEXT ·copyADX(SB), NOSPLIT, $0-60
	MOVQ dst_base+0(FP), dst
	MOVQ src_base+24(FP), src
	MOVQ src_len+32(FP), left
	MOVL sum+48(FP), acc
	MOVQ left, cnt
	SHRQ $6, cnt
	JNZ  rounds
	LEAQ ret+56(FP), out
	JMP  ·copyTail(SB)

rounds:
	ADX_START

loop:
	// 64 bytes a round: load into registers (R11 among them, so out is
	// set after the loop), store them, add them on the two chains.
	COPY_CHAIN64(ADCXQ, acc, ADOXQ, acc1, R10, R11, R12, R13)
	LEAQ  64(src), src
	LEAQ  64(dst), dst
	LEAQ  -1(cnt), cnt
	JCXZQ done
	JMP   loop

done:
	ADX_END
	LEAQ ret+56(FP), out
	JMP  ·copyTail(SB)

// ---------------------------------------------------------------------------
// The dispatch: Partial and Copy call these, which jump to the kernel of
// the tier activeID names with the caller's frame as it is (each kernel
// takes the same arguments), so that it returns to the caller. Tier 0 is
// the Go code, reached through its ABI0 wrapper. activePartial first sums
// inputs of 8 to SHORT_LEN bytes itself, unless Use has pinned a tier.

// DISPATCH jumps to the routine of the active tier among op's, e.g.
// ·partialAVX512 for op partial. One use per routine: it has labels.
#define DISPATCH(generic, avx512, avxvnni, avx2, sse2, adx, scalar) \
	MOVQ ·activeID(SB), CX  \
	CMPQ CX, $TIER_AVX512   \
	JEQ  tierAVX512         \
	CMPQ CX, $TIER_AVXVNNI  \
	JEQ  tierAVXVNNI        \
	CMPQ CX, $TIER_AVX2     \
	JEQ  tierAVX2           \
	CMPQ CX, $TIER_SSE2     \
	JEQ  tierSSE2           \
	CMPQ CX, $TIER_ADX      \
	JEQ  tierADX            \
	CMPQ CX, $TIER_SCALAR   \
	JEQ  tierScalar         \
	JMP  generic(SB)        \
tierAVX512:                 \
	JMP avx512(SB)          \
tierAVXVNNI:                \
	JMP avxvnni(SB)         \
tierAVX2:                   \
	JMP avx2(SB)            \
tierSSE2:                   \
	JMP sse2(SB)            \
tierADX:                    \
	JMP adx(SB)             \
tierScalar:                 \
	JMP scalar(SB)

// func activePartial(b []byte, sum Sum) Sum
TEXT ·activePartial(SB), NOSPLIT|NOFRAME, $0-36
	MOVQ b_len+8(FP), left
	LEAQ -8(left), CX
	CMPQ CX, $(SHORT_LEN-8)
	JHI  dispatch
	CMPB ·pinned(SB), $0
	JNE  dispatch

	// 8 to SHORT_LEN bytes, on one carry chain, in straight code: 32 bytes
	// if there are 32, 32 more if there are 64, then 16 and 8 as the bits
	// of left say (adding 32 or 64 leaves them as they were), then the last
	// left&7 bytes, the top ones of the last 8 (R8), which one load takes
	// without reading past the end.
	MOVQ b_base+0(FP), src
	MOVQ -8(src)(left*1), R8
	XORL acc, acc
	CMPQ left, $32
	JB   short31
	ADD32
	CMPQ left, $64
	JB   short31
	ADD32

short31:
	TESTQ $16, left
	JZ    short15
	ADD16

short15:
	TESTQ $8, left
	JZ    short7
	ADDQ  0(src), acc
	ADCQ  $0, acc

short7:
	// Shift the bytes already summed out of R8: by 64-8*(left&7) bits,
	// which SHRQ takes mod 64 as -8*(left&7).
	ANDL $7, left
	JZ   shortFold
	SHLL $3, left
	NEGL left
	MOVL left, CX
	SHRQ CX, R8
	ADDQ R8, acc
	ADCQ $0, acc

shortFold:
	FOLD32(acc, DX)
	ADDL sum+24(FP), acc
	ADCL $0, acc
	MOVL acc, ret+32(FP)
	RET

dispatch:
	DISPATCH(·partialGeneric, ·partialAVX512, ·partialAVXVNNI, ·partialAVX2, ·partialSSE2, ·partialADX, ·partialScalar)

// func activeCopy(dst, src []byte, sum Sum) Sum
TEXT ·activeCopy(SB), NOSPLIT|NOFRAME, $0-60
	DISPATCH(·copyGeneric, ·copyAVX512, ·copyAVXVNNI, ·copyAVX2, ·copySSE2, ·copyADX, ·copyScalar)
