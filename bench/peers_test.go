package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/iovkit/iovkit/csum"
	"gvisor.dev/gvisor/pkg/tcpip/checksum"
)

var peerSizes = []int{20, 40, 64, 256, 1500, 4096, 65536, 1 << 20, 16 << 20}

// BenchmarkChecksum runs every available csum implementation and gVisor's
// checksum side by side on the same buffers, so that benchstat can compare
// them: go test -bench Checksum -count 10 | benchstat -col /impl -.
func BenchmarkChecksum(b *testing.B) {
	buf := make([]byte, peerSizes[len(peerSizes)-1])
	for i := range buf {
		buf[i] = byte(i * 7)
	}
	type impl struct {
		name string
		sum  func([]byte) uint16
	}
	impls := []impl{
		{"gvisor", func(p []byte) uint16 { return checksum.Checksum(p, 0) }},
		// The package-level Partial with its dispatch and short-input path.
		{"default", func(p []byte) uint16 { return csum.Fold(csum.Partial(p, 0)) }},
	}
	for _, im := range csum.Implementations() {
		if im.Available {
			name, f := strings.TrimPrefix(strings.TrimPrefix(im.Name, "amd64-"), "arm64-"), im.Partial
			impls = append(impls, impl{name, func(p []byte) uint16 { return csum.Fold(f(p, 0)) }})
		}
	}
	for _, n := range peerSizes {
		for _, im := range impls {
			b.Run(fmt.Sprintf("size=%d/impl=%s", n, im.name), func(b *testing.B) {
				b.SetBytes(int64(n))
				b.ReportAllocs()
				var s uint16
				for b.Loop() {
					s += im.sum(buf[:n])
				}
			})
		}
	}
}

// BenchmarkShort holds the short inputs of IP headers and small packets,
// where a call through a function value would cost as much as the sum, to
// direct calls on both sides: csum.Partial against gVisor's checksum. With
// chain=yes each call starts from the previous result, as when a
// pseudo-header's sum feeds a segment's, so the latency of a call counts;
// with chain=no the calls are independent and only throughput does.
func BenchmarkShort(b *testing.B) {
	buf := make([]byte, 64)
	for i := range buf {
		buf[i] = byte(i * 7)
	}
	for _, n := range []int{20, 40, 64} {
		for _, chain := range []bool{false, true} {
			name := fmt.Sprintf("size=%d/chain=%s", n, map[bool]string{false: "no", true: "yes"}[chain])
			b.Run(name+"/impl=gvisor", func(b *testing.B) {
				b.SetBytes(int64(n))
				var s, acc uint16
				for b.Loop() {
					if !chain {
						s = 0
					}
					s = checksum.Checksum(buf[:n], s)
					acc += s
				}
				sinkShort = uint32(acc)
			})
			b.Run(name+"/impl=default", func(b *testing.B) {
				b.SetBytes(int64(n))
				var s, acc csum.Sum
				for b.Loop() {
					if !chain {
						s = 0
					}
					s = csum.Partial(buf[:n], s)
					acc += s
				}
				sinkShort = uint32(acc)
			})
		}
	}
}

var sinkShort uint32
