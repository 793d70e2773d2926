package csum

import (
	"encoding/binary"
	"math/bits"
)

// partialGeneric is the portable Partial: the reference every assembly tier
// must equal, and the fallback on machines without one. It adds 64-bit words
// in the machine's byte order with carry chains, which modulo 0xffff is the
// sum of their 16-bit words. Two chains of four words each per 64 bytes keep
// two adders busy: a chain waits for the carry of the one before it.
//
// Each chain starts with a carry-in of zero and ends by adding its carry
// out back in (one ADC of zero, as a carry is worth 2^64 ≡ 1), which cannot
// carry again: a chain that carries out leaves at most 2^64-2. That keeps
// only the two accumulators and the slice live in the loop, few enough
// registers that the compiler spills none on amd64.
func partialGeneric(b []byte, sum Sum) Sum {
	a0, a1 := uint64(sum), uint64(0)
	var c uint64
	for len(b) >= 64 {
		a0, c = bits.Add64(a0, ne.Uint64(b[0:]), 0)
		a0, c = bits.Add64(a0, ne.Uint64(b[8:]), c)
		a0, c = bits.Add64(a0, ne.Uint64(b[16:]), c)
		a0, c = bits.Add64(a0, ne.Uint64(b[24:]), c)
		a0, _ = bits.Add64(a0, 0, c)
		a1, c = bits.Add64(a1, ne.Uint64(b[32:]), 0)
		a1, c = bits.Add64(a1, ne.Uint64(b[40:]), c)
		a1, c = bits.Add64(a1, ne.Uint64(b[48:]), c)
		a1, c = bits.Add64(a1, ne.Uint64(b[56:]), c)
		a1, _ = bits.Add64(a1, 0, c)
		b = b[64:]
	}
	if len(b) >= 32 {
		a0, c = bits.Add64(a0, ne.Uint64(b[0:]), 0)
		a0, c = bits.Add64(a0, ne.Uint64(b[8:]), c)
		a0, c = bits.Add64(a0, ne.Uint64(b[16:]), c)
		a0, c = bits.Add64(a0, ne.Uint64(b[24:]), c)
		a0, _ = bits.Add64(a0, 0, c)
		b = b[32:]
	}
	if len(b) >= 16 {
		a1, c = bits.Add64(a1, ne.Uint64(b[0:]), 0)
		a1, c = bits.Add64(a1, ne.Uint64(b[8:]), c)
		a1, _ = bits.Add64(a1, 0, c)
		b = b[16:]
	}
	// At most 15 bytes remain: 32-bit pieces cannot carry out of 64 bits.
	var tail uint64
	if len(b) >= 8 {
		x := ne.Uint64(b)
		tail = x&0xffffffff + x>>32
		b = b[8:]
	}
	if len(b) >= 4 {
		tail += uint64(ne.Uint32(b))
		b = b[4:]
	}
	if len(b) >= 2 {
		tail += uint64(ne.Uint16(b))
		b = b[2:]
	}
	if len(b) == 1 {
		tail += lastByte(b[0])
	}
	a0, c = bits.Add64(a0, a1, 0)
	a0, c = bits.Add64(a0, tail, c)
	a0, _ = bits.Add64(a0, 0, c)
	return fold64(a0)
}

// lastByte returns the value of an odd final byte as the first byte of a
// 16-bit word whose second byte is zero.
func lastByte(x byte) uint64 {
	if bigEndian {
		return uint64(x) << 8
	}
	return uint64(x)
}

// copyChunk is how much copyGeneric copies before summing the copy, small
// enough to be summed from L1 cache. It is even, so every chunk starts at an
// even offset.
const copyChunk = 2048

// copyGeneric is the portable Copy: it copies src to dst in chunks and sums
// each chunk while it is still in cache. len(dst) >= len(src).
func copyGeneric(dst, src []byte, sum Sum) Sum {
	for len(src) > 0 {
		n := copy(dst, src[:min(len(src), copyChunk)])
		sum = partialGeneric(dst[:n], sum)
		dst, src = dst[n:], src[n:]
	}
	return sum
}

var ne = binary.NativeEndian
