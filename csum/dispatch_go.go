//go:build !amd64 || !gc || purego

package csum

import "math/bits"

// activePartial runs the Partial of the active implementation, but sums
// inputs of 8 to shortLen bytes itself unless Use has pinned one. (On
// amd64 it is assembly that does the same.)
func activePartial(b []byte, sum Sum) Sum {
	n := len(b)
	if n < 8 || n > shortLen || pinned {
		return archPartial(activeID, b, sum)
	}
	// 8 to 64 bytes (IP headers) are summed here, with no further call:
	// calling an assembly routine costs more than the sum, and even a call
	// to a Go function that does it costs 10% at these lengths. This is
	// partialGeneric's sum with the last len%8 bytes taken from one load of
	// the last 8, and sum added last, so that calls that feed each other's
	// sums wait only for the last few additions.
	last := ne.Uint64(b[n-8:])
	var acc, carry, c uint64
	for len(b) >= 32 {
		acc, c = bits.Add64(acc, ne.Uint64(b), 0)
		acc, c = bits.Add64(acc, ne.Uint64(b[8:]), c)
		acc, c = bits.Add64(acc, ne.Uint64(b[16:]), c)
		acc, c = bits.Add64(acc, ne.Uint64(b[24:]), c)
		carry += c
		b = b[32:]
	}
	if len(b) >= 16 {
		acc, c = bits.Add64(acc, ne.Uint64(b), 0)
		acc, c = bits.Add64(acc, ne.Uint64(b[8:]), c)
		carry += c
		b = b[16:]
	}
	if len(b) >= 8 {
		acc, c = bits.Add64(acc, ne.Uint64(b), 0)
		carry += c
		b = b[8:]
	}
	// Keep of last only the len(b) < 8 bytes not yet summed, where a load
	// of them alone would have put them: shift the others out, in two
	// shifts so that none is left when len(b) is 0.
	sh := (56 - 8*uint(len(b))) & 63
	if bigEndian {
		last = last << sh << 8
	} else {
		last = last >> sh >> 8
	}
	acc, c = bits.Add64(acc, last, 0)
	acc, c = bits.Add64(acc, carry+c, 0) // carry+c <= 4: no overflow
	return Add(fold64(acc+c), sum)       // acc+c cannot wrap: a carry out leaves acc < 2^64-1
}

// activeCopy runs the Copy of the active implementation. len(dst) ==
// len(src).
func activeCopy(dst, src []byte, sum Sum) Sum { return archCopy(activeID, dst, src, sum) }
