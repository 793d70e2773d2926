package csum_test

import (
	"encoding/binary"
	"fmt"
	"net/netip"

	"github.com/iovkit/iovkit/csum"
)

// Fill in and verify the checksum of an IPv4 header.
func ExampleIPHeader() {
	hdr := []byte{
		0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
		0x00, 0x00, // the checksum field, zero while computing it
		0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7,
	}
	binary.BigEndian.PutUint16(hdr[10:], csum.IPHeader(hdr))
	fmt.Printf("stored %#04x, verifies to %d\n", binary.BigEndian.Uint16(hdr[10:]), csum.IPHeader(hdr))
	// Output: stored 0xb861, verifies to 0
}

// Checksum a UDP datagram over IPv6: the pseudo-header and the datagram.
func ExampleIPv6Magic() {
	src, dst := netip.MustParseAddr("2001:db8::1"), netip.MustParseAddr("2001:db8::2")
	udp := []byte{
		0x30, 0x39, 0x00, 0x35, // ports 12345 and 53
		0x00, 0x0c, 0x00, 0x00, // length 12, checksum zero while computing it
		'i', 'o', 'v', 'k',
	}
	check := csum.IPv6Magic(src, dst, uint32(len(udp)), 17, csum.Partial(udp, 0))
	binary.BigEndian.PutUint16(udp[6:], check)
	fmt.Println("receiver's check:", csum.IPv6Magic(src, dst, uint32(len(udp)), 17, csum.Partial(udp, 0)))
	// Output: receiver's check: 0
}

// Checksum a TCP segment over IPv4 while copying it out of a receive buffer.
func ExampleTCPUDPMagic() {
	src, dst := netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("198.51.100.7")
	segment := make([]byte, 40)
	copy(segment, "a TCP header and payload, checksum at 16")
	binary.BigEndian.PutUint16(segment[16:], 0)
	binary.BigEndian.PutUint16(segment[16:], csum.TCPUDPMagic(src, dst, 40, 6, csum.Partial(segment, 0)))

	rx := make([]byte, len(segment))
	sum := csum.Copy(rx, segment, 0)
	fmt.Println("valid:", csum.TCPUDPMagic(src, dst, 40, 6, sum) == 0)
	// Output: valid: true
}

// Sum a stream that arrives in pieces of any length.
func ExampleState() {
	var st csum.State
	for _, piece := range []string{"odd", "-length ", "pieces"} {
		st.Write([]byte(piece))
	}
	fmt.Println(st.Fold() == csum.Checksum([]byte("odd-length pieces")))
	// Output: true
}

// Rewrite an IPv4 address in a header without recomputing its checksum,
// as a NAT does.
func ExampleReplace4() {
	hdr := []byte{
		0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
		0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7,
	}
	old, new := binary.BigEndian.Uint32(hdr[12:]), uint32(0x0a000001) // 10.0.0.1
	binary.BigEndian.PutUint32(hdr[12:], new)
	binary.BigEndian.PutUint16(hdr[10:], csum.Replace4(binary.BigEndian.Uint16(hdr[10:]), old, new))
	fmt.Println("header still verifies:", csum.IPHeader(hdr) == 0)
	// Output: header still verifies: true
}

// List the implementations and run one of them.
func ExampleImplementations() {
	for _, im := range csum.Implementations() {
		if im.Name == "generic" {
			fmt.Printf("%s: %#04x\n", im.Name, csum.Fold(im.Partial([]byte{0x00, 0x01, 0xf2, 0x03}, 0)))
		}
	}
	// Output: generic: 0x0dfb
}

// Checksum a payload in two blocks, the second starting at an odd offset,
// and subtract a block back out, as a packet is trimmed.
func ExampleBlockAdd() {
	payload := []byte("scatter-gather")
	head, tail := payload[:7], payload[7:]
	sum := csum.BlockAdd(csum.Partial(head, 0), csum.Partial(tail, 0), len(head))
	fmt.Println("whole:", csum.Fold(sum) == csum.Checksum(payload))
	trimmed := csum.BlockSub(sum, csum.Partial(tail, 0), len(head))
	fmt.Println("head only:", csum.Fold(trimmed) == csum.Checksum(head))
	// Output:
	// whole: true
	// head only: true
}

// Update a stored checksum for a changed 16-bit field by hand: unfold the
// old checksum, take the old word out and put the new one in (the sum of
// RFC 1624's equation 3, which Replace2 makes).
func ExampleUnfold() {
	data := []byte{0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc}
	check := csum.Checksum(data)
	old := []byte{data[2], data[3]}
	data[2], data[3] = 0xde, 0xad
	sum := csum.Sub(^csum.Unfold(check), csum.Partial(old, 0))
	sum = csum.Add(sum, csum.Partial(data[2:4], 0))
	fmt.Println(csum.Fold(sum) == csum.Checksum(data), csum.Replace2(check, 0x5678, 0xdead) == csum.Checksum(data))
	// Output: true true
}

// Run Partial and Copy on one implementation for a while, as a test that
// compares implementations does, then go back to the one chosen at start-up.
func ExampleUse() {
	chosen := csum.Active()
	restore, err := csum.Use("generic")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("now:", csum.Active())
	restore()
	fmt.Println("back:", csum.Active() == chosen)
	// Output:
	// now: generic
	// back: true
}

// Copy a payload and checksum it in the same pass.
func ExampleCopy() {
	payload := []byte("one pass over the bytes")
	dst := make([]byte, len(payload))
	sum := csum.Copy(dst, payload, 0)
	fmt.Println(string(dst), csum.Fold(sum) == csum.Checksum(payload))
	// Output: one pass over the bytes true
}
