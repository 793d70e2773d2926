package csum

import (
	"encoding/binary"
	"math/rand/v2"
	"net/netip"
	"testing"
)

// ipv4Pseudo builds the IPv4 pseudo-header of RFC 793 by hand.
func ipv4Pseudo(src, dst netip.Addr, length uint16, proto uint8) []byte {
	s, d := src.As4(), dst.As4()
	b := append(s[:], d[:]...)
	return binary.BigEndian.AppendUint16(append(b, 0, proto), length)
}

// ipv6Pseudo builds the IPv6 pseudo-header of RFC 8200 by hand.
func ipv6Pseudo(src, dst netip.Addr, length uint32, proto uint8) []byte {
	s, d := src.As16(), dst.As16()
	b := binary.BigEndian.AppendUint32(append(s[:], d[:]...), length)
	return append(b, 0, 0, 0, proto)
}

func randAddr(rng *rand.Rand, n int) netip.Addr {
	var b [16]byte
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	a, _ := netip.AddrFromSlice(b[:n])
	return a
}

// TestPseudoHeaders sums a segment behind a hand-built pseudo-header and
// expects the same checksum from the pseudo-header functions.
func TestPseudoHeaders(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	seg := patterns(2000, rng)["random"]
	for i := range 5000 {
		payload := seg[:rng.IntN(len(seg))]
		length := uint32(len(payload))
		if i%3 == 0 {
			length = rng.Uint32() & 0xffff
		}
		proto := uint8(rng.Uint32())
		sum := Partial(payload, 0)

		s4, d4 := randAddr(rng, 4), randAddr(rng, 4)
		want := Checksum(append(ipv4Pseudo(s4, d4, uint16(length), proto), payload...))
		if got := TCPUDPMagic(s4, d4, length, proto, sum); got != want {
			t.Fatalf("TCPUDPMagic(%v, %v, %d, %d) = %#04x, want %#04x", s4, d4, length, proto, got, want)
		}
		// IPv4-mapped addresses count as IPv4 ones.
		m4, n4 := netip.AddrFrom16(s4.As16()), netip.AddrFrom16(d4.As16())
		if got := TCPUDPMagic(m4, n4, length, proto, sum); got != want {
			t.Fatalf("TCPUDPMagic of mapped %v = %#04x, want %#04x", m4, got, want)
		}

		length = rng.Uint32() >> uint(rng.IntN(32))
		s6, d6 := randAddr(rng, 16), randAddr(rng, 16)
		want = Checksum(append(ipv6Pseudo(s6, d6, length, proto), payload...))
		if got := IPv6Magic(s6, d6, length, proto, sum); got != want {
			t.Fatalf("IPv6Magic(%v, %v, %d, %d) = %#04x, want %#04x", s6, d6, length, proto, got, want)
		}
	}
}

// TestTCPUDPNofoldLinux compares with csum_tcpudp_nofold as Linux computes it,
// for lengths below 2^23 where its 32-bit arithmetic is exact.
func TestTCPUDPNofoldLinux(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 24))
	for range 100000 {
		s4, d4 := randAddr(rng, 4), randAddr(rng, 4)
		length, proto, sum := rng.Uint32()>>9, uint8(rng.Uint32()), Sum(rng.Uint32())
		sb, db := s4.As4(), d4.As4()
		acc := uint64(sum) + uint64(binary.NativeEndian.Uint32(sb[:])) + uint64(binary.NativeEndian.Uint32(db[:]))
		if bigEndian {
			acc += uint64(uint32(proto) + length)
		} else {
			acc += uint64((uint32(proto) + length) << 8)
		}
		acc += acc >> 32
		want := Fold(Sum(acc))
		if got := Fold(TCPUDPNofold(s4, d4, length, proto, sum)); got != want {
			t.Fatalf("TCPUDPNofold(%v, %v, %d, %d, %#x) folds to %#04x, Linux to %#04x", s4, d4, length, proto, sum, got, want)
		}
	}
}

// linuxReplace2 is csum_replace2 as Linux computes it, on memory-order values.
func linuxReplace2(check, old, new uint16) uint16 {
	add := func(a, b uint16) uint16 {
		r := a + b
		if r < b {
			r++
		}
		return r
	}
	c, o, n := toBig16(check), toBig16(old), toBig16(new)
	return toBig16(^add(add(^c, ^o), n))
}

// TestReplace changes a field of a packet and expects the incremental update
// to agree with a checksum computed afresh (RFC 1624) and, for Replace2, with
// Linux's arithmetic bit for bit.
func TestReplace(t *testing.T) {
	rng := rand.New(rand.NewPCG(25, 26))
	pkt := patterns(64, rng)["random"]
	for i := range 100000 {
		check := Checksum(pkt)
		switch i % 3 {
		case 0:
			off := 2 * rng.IntN(len(pkt)/2)
			old, new := binary.BigEndian.Uint16(pkt[off:]), uint16(rng.Uint32())
			binary.BigEndian.PutUint16(pkt[off:], new)
			if got, want := Replace2(check, old, new), Checksum(pkt); got != want {
				t.Fatalf("Replace2(%#04x, %#04x, %#04x) = %#04x, recomputed %#04x", check, old, new, got, want)
			}
		case 1:
			off := 2 * rng.IntN(len(pkt)/2-1)
			old, new := binary.BigEndian.Uint32(pkt[off:]), rng.Uint32()
			binary.BigEndian.PutUint32(pkt[off:], new)
			if got, want := Replace4(check, old, new), Checksum(pkt); got != want {
				t.Fatalf("Replace4(%#04x, %#08x, %#08x) = %#04x, recomputed %#04x", check, old, new, got, want)
			}
		case 2:
			off := 2 * rng.IntN(len(pkt)/2-7)
			old, new := [16]byte(pkt[off:]), [16]byte(patterns(16, rng)["random"])
			copy(pkt[off:], new[:])
			if got, want := Replace16(check, old, new), Checksum(pkt); got != want {
				t.Fatalf("Replace16 at %d = %#04x, recomputed %#04x", off, got, want)
			}
		}
	}
	edges := []uint16{0, 1, 0x7fff, 0x8000, 0xfffe, 0xffff}
	for _, c := range edges {
		for _, o := range edges {
			for _, n := range edges {
				if got, want := Replace2(c, o, n), linuxReplace2(c, o, n); got != want {
					t.Errorf("Replace2(%#x, %#x, %#x) = %#x, Linux %#x", c, o, n, got, want)
				}
			}
		}
	}
}
