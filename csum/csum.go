// Package csum computes the Internet checksum of RFC 1071 the way Linux does:
// an unfolded 32-bit ones'-complement sum ([Sum], Linux's __wsum) that
// [Partial] and [Copy] extend over bytes and [Fold] turns into the 16-bit
// value stored in a header, together with the pseudo-header sums of TCP and
// UDP and the incremental updates of RFC 1624.
//
// A [Sum] adds 16-bit words in the machine's byte order, exactly as Linux's
// csum_partial does, so a value taken from Linux code can be passed in as it
// is. The unfolded value may differ from Linux's; the folded one never does,
// for any length, alignment and initial sum, including the cases where Linux
// returns 0 rather than 0xffff.
//
// Every uint16 checksum in this package (the results of [Fold], [IPHeader],
// [TCPUDPMagic], [IPv6Magic] and the Replace functions, and the argument of
// [Unfold]) is a big-endian number: store it with binary.BigEndian.PutUint16
// and read it with binary.BigEndian.Uint16, never as Linux's memory-order
// __sum16. A packet whose stored checksum is right sums to a Fold of zero.
//
// Partial and Copy run the fastest implementation this CPU supports, chosen
// once at start-up (see [Implementations]); GODEBUG settings such as
// cpu.avx2=off are honoured. The build tag purego selects the portable Go
// code everywhere.
package csum

import (
	"encoding/binary"
	"errors"
	"math/bits"
	"net/netip"
)

// Sum is an unfolded 32-bit ones'-complement sum of 16-bit words in the
// machine's byte order: Linux's __wsum.
type Sum uint32

// Partial returns sum extended by the bytes of b, as if b started at an even
// offset of the stream (Linux's csum_partial). An odd final byte is summed as
// if followed by a zero byte.
func Partial(b []byte, sum Sum) Sum { return activePartial(b, sum) }

// shortLen is the longest input that activePartial sums itself, from 8
// bytes on, rather than through the implementation chosen at start-up:
// IP headers, for which a call to the kernel costs more than the sum.
// Once Use has pinned an implementation, it sees every length.
const shortLen = 64

// Copy copies src into dst and returns sum extended by the bytes copied
// (Linux's csum_partial_copy_nocheck), in one pass over the data. It copies
// exactly len(src) bytes and panics if dst is shorter. dst and src must not
// overlap unless they are the same slice.
func Copy(dst, src []byte, sum Sum) Sum {
	if len(dst) < len(src) {
		panic(errShortDst)
	}
	return activeCopy(dst[:len(src)], src, sum)
}

var errShortDst = errors.New("csum: Copy: dst is shorter than src")

// Checksum returns the Internet checksum of b, Fold(Partial(b, 0)).
func Checksum(b []byte) uint16 { return Fold(Partial(b, 0)) }

// Fold folds sum to 16 bits and complements it (Linux's csum_fold). The result
// is the checksum to store, as a big-endian number.
func Fold(sum Sum) uint16 { return toBig16(^fold16(sum)) }

// fold16 adds the two halves of sum with end-around carry. It is zero only
// when sum is.
func fold16(sum Sum) uint16 {
	x := uint32(sum)&0xffff + uint32(sum)>>16
	x = x&0xffff + x>>16
	return uint16(x)
}

// Unfold returns a stored checksum, given as a big-endian number, as a Sum
// (Linux's csum_unfold), so that it can be added to or subtracted from.
func Unfold(check uint16) Sum { return Sum(toBig16(check)) }

// Add returns the ones'-complement sum of a and b (Linux's csum_add).
func Add(a, b Sum) Sum {
	s, c := bits.Add32(uint32(a), uint32(b), 0)
	return Sum(s + c)
}

// Sub returns a minus b in ones'-complement arithmetic (Linux's csum_sub).
func Sub(a, b Sum) Sum { return Add(a, ^b) }

// BlockAdd returns sum extended by next, the Sum of a block of bytes that
// starts at offset in the stream that sum covers (Linux's csum_block_add).
// Only the parity of offset matters.
func BlockAdd(sum, next Sum, offset int) Sum { return Add(sum, shift(next, offset)) }

// BlockSub removes from sum the block whose Sum is next and which starts at
// offset (Linux's csum_block_sub).
func BlockSub(sum, next Sum, offset int) Sum { return Sub(sum, shift(next, offset)) }

// shift moves a block's sum to the byte lanes it occupies at offset: a block
// that starts at an odd offset has its bytes in the other half of each word.
func shift(sum Sum, offset int) Sum {
	if offset&1 != 0 {
		return Sum(bits.RotateLeft32(uint32(sum), -8))
	}
	return sum
}

// IPHeader returns the checksum of an IPv4 header (Linux's ip_fast_csum).
// len(hdr) is the header length from its IHL field: a multiple of 4, at least
// 20; IPHeader panics otherwise. A header whose checksum field is right
// yields 0; to fill the field in, zero it, then store the result.
func IPHeader(hdr []byte) uint16 {
	if len(hdr) < 20 || len(hdr)%4 != 0 {
		panic("csum: IPHeader: header length is not a multiple of 4 of at least 20")
	}
	return Fold(Partial(hdr, 0))
}

// TCPUDPNofold returns sum extended by the IPv4 pseudo-header of TCP and UDP:
// the source and destination addresses, the protocol and the length of the
// TCP or UDP segment (Linux's csum_tcpudp_nofold). src and dst must be IPv4
// addresses (or IPv4-mapped IPv6 ones); it panics otherwise, saying which
// is not.
//
// The length is summed as a 32-bit number, which equals Linux for every
// length below 2^24 (Linux on little-endian machines drops the top byte of
// larger ones; a real IPv4 length has 16 bits).
func TCPUDPNofold(src, dst netip.Addr, length uint32, proto uint8, sum Sum) Sum {
	s, d := as4(src, "source"), as4(dst, "destination")
	acc := uint64(sum) + uint64(native32(s[:])) + uint64(native32(d[:]))
	// The length's two 16-bit halves and the protocol are big-endian words;
	// on a little-endian machine a byte swap is, modulo 0xffff, a shift by 8.
	words := uint64(proto) + uint64(length>>16) + uint64(length&0xffff)
	if !bigEndian {
		words <<= 8
	}
	return fold64(acc + words)
}

// TCPUDPMagic returns the folded checksum of an IPv4 pseudo-header and sum,
// the Sum of a TCP or UDP segment (Linux's csum_tcpudp_magic).
func TCPUDPMagic(src, dst netip.Addr, length uint32, proto uint8, sum Sum) uint16 {
	return Fold(TCPUDPNofold(src, dst, length, proto, sum))
}

// IPv6Magic returns the folded checksum of the IPv6 pseudo-header of RFC 8200
// and sum, the Sum of the upper-layer packet (Linux's csum_ipv6_magic). An
// IPv4 address counts as its IPv4-mapped IPv6 form. An invalid address
// (the zero netip.Addr) panics: it is no address at all, not ::.
func IPv6Magic(src, dst netip.Addr, length uint32, proto uint8, sum Sum) uint16 {
	if !src.IsValid() || !dst.IsValid() {
		panic("csum: IPv6Magic: invalid address (source " + src.String() + ", destination " + dst.String() + ")")
	}
	s, d := src.As16(), dst.As16()
	acc := uint64(sum) + uint64(toBig32(length)) + uint64(toBig32(uint32(proto)))
	for i := 0; i < 16; i += 4 {
		acc += uint64(native32(s[i:])) + uint64(native32(d[i:]))
	}
	return Fold(fold64(acc))
}

// as4 returns the four bytes of a, the source or destination (role) of a
// pseudo-header, and panics in csum's words if a is not IPv4.
func as4(a netip.Addr, role string) [4]byte {
	if !a.Is4() && !a.Is4In6() {
		panic("csum: TCPUDPNofold: " + role + " address " + a.String() + " is not IPv4")
	}
	return a.As4()
}

// Replace2 returns the checksum check updated for a 16-bit field of the
// packet that changed from old to new, all big-endian numbers (RFC 1624
// equation 3; Linux's csum_replace2).
func Replace2(check, old, new uint16) uint16 {
	return ^add16(add16(^check, ^old), new)
}

// add16 is the 16-bit ones'-complement sum. Adding in either byte order gives
// byte-swapped results, so big-endian numbers can be added directly.
func add16(a, b uint16) uint16 {
	s := uint32(a) + uint32(b)
	return uint16(s + s>>16)
}

// Replace4 returns the checksum check updated for a 32-bit field of the
// packet (an IPv4 address, say) that changed from old to new, all big-endian
// numbers (Linux's csum_replace4).
func Replace4(check uint16, old, new uint32) uint16 {
	s := Sub(^Unfold(check), Sum(toBig32(old)))
	return Fold(Add(s, Sum(toBig32(new))))
}

// Replace16 returns the checksum check updated for a 16-byte field of the
// packet (an IPv6 address) that changed from old to new (Linux's
// inet_proto_csum_replace16 for a checksum without pseudo-header).
func Replace16(check uint16, old, new [16]byte) uint16 {
	s := ^Unfold(check)
	for i := 0; i < 16; i += 4 {
		s = Sub(s, Sum(native32(old[i:])))
		s = Add(s, Sum(native32(new[i:])))
	}
	return Fold(s)
}

// State is a running checksum of a byte stream: the sum so far and the
// offset in the stream, so that pieces of odd length combine correctly
// (Linux's csum_state). The zero value is an empty stream.
type State struct {
	Sum Sum   // the sum of the bytes written so far
	Off int64 // how many bytes have been written
}

// Write adds b to the stream at offset s.Off. It implements io.Writer and
// never fails.
func (s *State) Write(b []byte) (int, error) {
	s.Add(Partial(b, 0), len(b))
	return len(b), nil
}

// Add appends to the stream a block of n bytes whose Sum is sum, computed as
// if the block started at an even offset. A negative n panics.
func (s *State) Add(sum Sum, n int) {
	if n < 0 {
		panic("csum: State.Add: negative length")
	}
	s.Sum = BlockAdd(s.Sum, sum, int(s.Off))
	s.Off += int64(n)
}

// Fold returns the checksum of the stream so far, Fold(s.Sum).
func (s *State) Fold() uint16 { return Fold(s.Sum) }

// fold64 reduces a 64-bit ones'-complement accumulator to 32 bits with
// end-around carries; the result is zero only when acc is.
func fold64(acc uint64) Sum {
	s, c := bits.Add32(uint32(acc), uint32(acc>>32), 0)
	return Sum(s + c)
}

// toBig16 converts between a 16-bit word in memory order and the big-endian
// number of the same two bytes; the conversion is its own inverse.
func toBig16(x uint16) uint16 {
	if bigEndian {
		return x
	}
	return bits.ReverseBytes16(x)
}

// toBig32 is toBig16 for 32-bit words.
func toBig32(x uint32) uint32 {
	if bigEndian {
		return x
	}
	return bits.ReverseBytes32(x)
}

func native32(b []byte) uint32 { return binary.NativeEndian.Uint32(b) }
