package csum

import (
	"bytes"
	"encoding/binary"
	"net/netip"
	"testing"
)

func FuzzPartial(f *testing.F) {
	f.Add([]byte{1, 2, 3}, uint8(1), uint32(0))
	f.Add(bytes.Repeat([]byte{0xff}, 300), uint8(7), uint32(0xffffffff))
	f.Add(make([]byte, 129), uint8(0), uint32(0))
	f.Fuzz(func(t *testing.T, data []byte, align uint8, init uint32) {
		b := data[min(int(align%64), len(data)):]
		want := Fold(refPartial(b, Sum(init)))
		for _, im := range available(t) {
			if got := Fold(im.Partial(b, Sum(init))); got != want {
				t.Fatalf("%s: len %d: %#04x, want %#04x", im.Name, len(b), got, want)
			}
		}
	})
}

func FuzzCopy(f *testing.F) {
	f.Add([]byte{1, 2, 3}, uint8(1), uint8(2), uint32(0))
	f.Add(bytes.Repeat([]byte{0xff}, 300), uint8(3), uint8(60), uint32(5))
	f.Fuzz(func(t *testing.T, data []byte, sa, da uint8, init uint32) {
		src := data[min(int(sa%64), len(data)):]
		want := Fold(refPartial(src, Sum(init)))
		for _, im := range available(t) {
			buf := bytes.Repeat([]byte{0x5a}, len(src)+128)
			dst := buf[da%64:]
			if got := Fold(im.Copy(dst, src, Sum(init))); got != want {
				t.Fatalf("%s: len %d: %#04x, want %#04x", im.Name, len(src), got, want)
			}
			if !bytes.Equal(dst[:len(src)], src) {
				t.Fatalf("%s: len %d: the copy differs", im.Name, len(src))
			}
			outside := bytes.Count(buf[:da%64], []byte{0x5a}) + bytes.Count(dst[len(src):], []byte{0x5a})
			if outside != len(buf)-len(src) {
				t.Fatalf("%s: len %d: a byte outside the copy changed", im.Name, len(src))
			}
		}
	})
}

func FuzzFold(f *testing.F) {
	f.Add(uint32(0))
	f.Add(uint32(0xffff))
	f.Fuzz(func(t *testing.T, s uint32) {
		if got, want := Fold(Sum(s)), linuxFold(Sum(s)); got != want {
			t.Fatalf("Fold(%#x) = %#04x, Linux %#04x", s, got, want)
		}
		var stored [2]byte
		binary.BigEndian.PutUint16(stored[:], uint16(s))
		if got, want := Unfold(uint16(s)), refPartial(stored[:], 0); got != want {
			t.Fatalf("Unfold(%#04x) = %#x, want %#x", uint16(s), got, want)
		}
	})
}

// FuzzBlock splits data in two and joins the sums with Add, Sub, BlockAdd
// and BlockSub.
func FuzzBlock(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5}, uint16(3), uint32(9))
	f.Fuzz(func(t *testing.T, data []byte, split uint16, init uint32) {
		at := int(split) % (len(data) + 1)
		head, tail := Partial(data[:at], Sum(init)), Partial(data[at:], 0)
		whole := Partial(data, Sum(init))
		if Fold(BlockAdd(head, tail, at)) != Fold(whole) {
			t.Fatalf("split at %d: BlockAdd differs from the whole", at)
		}
		if Fold(BlockSub(whole, tail, at)) != Fold(head) && fold16(head) != 0 {
			t.Fatalf("split at %d: BlockSub differs from the head", at)
		}
		if at%2 == 0 && Fold(Add(head, tail)) != Fold(whole) {
			t.Fatalf("split at %d: Add differs from the whole", at)
		}
		if at%2 == 0 && Fold(Sub(whole, tail)) != Fold(head) && fold16(head) != 0 {
			t.Fatalf("split at %d: Sub differs from the head", at)
		}
	})
}

func FuzzState(f *testing.F) {
	f.Add([]byte("hello, world"), []byte{1, 3, 0, 5})
	f.Fuzz(func(t *testing.T, data, cuts []byte) {
		var st State
		rest := data
		for _, c := range cuts {
			n := min(int(c), len(rest))
			st.Write(rest[:n])
			rest = rest[n:]
		}
		st.Write(rest)
		if st.Fold() != Checksum(data) || st.Off != int64(len(data)) {
			t.Fatalf("State: %#04x at %d, want %#04x at %d", st.Fold(), st.Off, Checksum(data), len(data))
		}
	})
}

func FuzzIPHeader(f *testing.F) {
	f.Add(bytes.Repeat([]byte{0x45}, 20))
	f.Fuzz(func(t *testing.T, hdr []byte) {
		hdr = hdr[:len(hdr)&^3]
		if len(hdr) < 20 {
			return
		}
		if got, want := IPHeader(hdr), Fold(refPartial(hdr, 0)); got != want {
			t.Fatalf("IPHeader = %#04x, want %#04x", got, want)
		}
	})
}

func FuzzPseudoHeader(f *testing.F) {
	f.Add([]byte("0123456789abcdef"), []byte("fedcba9876543210"), uint16(20), uint8(6), []byte("payload"))
	f.Fuzz(func(t *testing.T, a, b []byte, length uint16, proto uint8, payload []byte) {
		if len(a) < 16 || len(b) < 16 {
			return
		}
		sum := Partial(payload, 0)
		s4, d4 := netip.AddrFrom4([4]byte(a)), netip.AddrFrom4([4]byte(b))
		if got, want := TCPUDPMagic(s4, d4, uint32(length), proto, sum),
			Checksum(append(ipv4Pseudo(s4, d4, length, proto), payload...)); got != want {
			t.Fatalf("TCPUDPMagic = %#04x, want %#04x", got, want)
		}
		s6, d6 := netip.AddrFrom16([16]byte(a)), netip.AddrFrom16([16]byte(b))
		l6 := uint32(length) * uint32(proto)
		if got, want := IPv6Magic(s6, d6, l6, proto, sum),
			Checksum(append(ipv6Pseudo(s6, d6, l6, proto), payload...)); got != want {
			t.Fatalf("IPv6Magic = %#04x, want %#04x", got, want)
		}
	})
}

// FuzzReplace rewrites a 2-, 4- or 16-byte field of a packet that is not all
// zeros afterwards (the one case where RFC 1624's update yields 0 and
// recomputation 0xffff) and expects the updates to match recomputation.
func FuzzReplace(f *testing.F) {
	f.Add([]byte("an ordinary packet of some length"), uint8(4), []byte("0123456789abcdef"))
	f.Fuzz(func(t *testing.T, pkt []byte, at uint8, repl []byte) {
		pkt = pkt[:len(pkt)&^1]
		if len(pkt) < 16 || len(repl) < 16 {
			return
		}
		for _, n := range []int{2, 4, 16} {
			off := 2 * (int(at) % ((len(pkt)-n)/2 + 1))
			p := bytes.Clone(pkt)
			check := Checksum(p)
			copy(p[off:off+n], repl)
			if bytes.Count(p, []byte{0}) == len(p) {
				continue
			}
			var got uint16
			switch n {
			case 2:
				got = Replace2(check, binary.BigEndian.Uint16(pkt[off:]), binary.BigEndian.Uint16(repl))
				if want := linuxReplace2(check, binary.BigEndian.Uint16(pkt[off:]), binary.BigEndian.Uint16(repl)); got != want {
					t.Fatalf("Replace2 = %#04x, Linux %#04x", got, want)
				}
			case 4:
				got = Replace4(check, binary.BigEndian.Uint32(pkt[off:]), binary.BigEndian.Uint32(repl))
			case 16:
				got = Replace16(check, [16]byte(pkt[off:]), [16]byte(repl))
			}
			if want := Checksum(p); got != want {
				t.Fatalf("Replace%d at %d = %#04x, recomputed %#04x", n, off, got, want)
			}
		}
	})
}
