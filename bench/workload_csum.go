package main

import (
	"fmt"
	"strings"

	"github.com/iovkit/iovkit/csum"
	"github.com/klauspost/cpuid/v2"
	"gvisor.dev/gvisor/pkg/tcpip/checksum"
)

// buffers are the memory the csum workloads read and write, allocated once
// at the largest size and shared.
type buffers struct{ src, dst []byte }

// newBuffers returns buffers of n bytes, src filled as csum's benchmarks
// fill theirs and every page of both touched.
func newBuffers(n int) buffers {
	b := buffers{make([]byte, n), make([]byte, n)}
	for i := range b.src {
		b.src[i] = byte(i * 7)
	}
	copy(b.dst, b.src)
	return b
}

// shortImpl is an implementation's name as csum's benchmarks write it:
// "amd64-avx2" is "avx2".
func shortImpl(name string) string {
	return strings.TrimPrefix(strings.TrimPrefix(name, "amd64-"), "arm64-")
}

// partialSection measures csum.Partial of every available implementation
// and gVisor's checksum at each size.
func partialSection(impls []csum.Implementation, sizes []int, b buffers) *section {
	s := &section{
		title: "csum.Partial",
		pkg:   csumPkg,
		about: "the unfolded checksum of one buffer, every implementation this CPU runs (through " +
			"csum.Implementations, a call through a function value) and csum.Partial itself, " +
			"against gVisor's checksum.Checksum (wireguard-go's checksum is unexported, so it is left out), " +
			"beside a loop that only reads the buffer (" + loadName + ") for the CPU's load bandwidth",
		chart: "partial",
	}
	for _, n := range sizes {
		buf := b.src[:n]
		for _, im := range impls {
			partial := im.Partial
			s.fns = append(s.fns, &fn{
				bench: "Partial", sub: fmt.Sprintf("impl=%s/size=%d", shortImpl(im.Name), n),
				set: formatSize(n), label: im.Name, size: n,
				run: func(k int) {
					var sum csum.Sum
					for range k {
						sum = partial(buf, sum)
					}
					sinkSum = sum
				},
			})
		}
		// The package's own Partial, called directly: the dispatch and the
		// sum of 8 to 64 bytes that the dispatch does itself.
		s.fns = append(s.fns, &fn{
			bench: "Partial", sub: fmt.Sprintf("impl=default/size=%d", n),
			set: formatSize(n), label: "csum.Partial", size: n, goal: partialGoal(n),
			run: func(k int) {
				var sum csum.Sum
				for range k {
					sum = csum.Partial(buf, sum)
				}
				sinkSum = sum
			},
		})
		// What the CPU's loads allow: not a peer (no checksum), the
		// reference of a goal.
		s.fns = append(s.fns, &fn{
			bench: "Partial", sub: fmt.Sprintf("impl=loadonly/size=%d", n),
			set: formatSize(n), label: loadLabel, size: n,
			run: func(k int) {
				for range k {
					loadOnly(buf)
				}
			},
		})
		s.fns = append(s.fns, &fn{
			bench: "Partial", sub: fmt.Sprintf("impl=gvisor/size=%d", n),
			set: formatSize(n), label: "gvisor", size: n, peer: true,
			run: func(k int) {
				var sum uint16
				for range k {
					sum = checksum.Checksum(buf, sum)
				}
				sinkSum16 = sum
			},
		})
	}
	return s
}

// loadLabel names the load-only loop in the tables.
const loadLabel = "load-only loop"

// partialGoal returns the goal of csum.Partial at n bytes that the report
// can judge: from 4 to 64 KiB, a share of the CPU's load bandwidth.
func partialGoal(n int) *goal {
	if n >= 4<<10 && n <= 64<<10 {
		return &goal{ref: loadLabel, ratio: 0.6}
	}
	return nil
}

// memmoveLabel names Go's copy() in the csum.Copy tables.
const memmoveLabel = "copy()"

// copyGoal returns the goal of csum.Copy at n bytes: from 1500 B at least
// 0.85× copy(), and 0.9× from 64 KiB; on CPUs that run each 256-bit
// operation as two 128-bit halves, 0.75× up to 4 KiB.
func copyGoal(n int, splits256 bool) *goal {
	switch {
	case n < 1500:
		return nil
	case n >= 64<<10:
		return &goal{ref: memmoveLabel, ratio: 0.9}
	case n <= 4<<10 && splits256:
		return &goal{ref: memmoveLabel, ratio: 0.75}
	}
	return &goal{ref: memmoveLabel, ratio: 0.85}
}

// splits256 reports whether c runs each 256-bit operation as two 128-bit
// halves: Zen 1 and Zen+, AMD family 0x17 below model 0x30 (Zen 2 starts
// there), the CPUs of csum's first amd64 CPU table row.
func splits256(c cpuid.CPUInfo) bool {
	return c.VendorID == cpuid.AMD && c.Family == 0x17 && c.Model < 0x30
}

// copySection measures csum.Copy of every available implementation and
// the package's own (its dispatch) at each size against the plain copies
// that bound it: Go's copy() and, with cgo, C's memcpy. The raw name of
// copy() is csum's: impl=memmove.
func copySection(impls []csum.Implementation, sizes []int, b buffers) *section {
	peers := "Go's copy() and C's memcpy through cgo (which adds a cgo call to each)"
	if cMemcpy == nil {
		peers = "Go's copy() (C's memcpy is left out: this build has no cgo)"
	}
	s := &section{
		title: "csum.Copy",
		pkg:   csumPkg,
		about: "copying one buffer while checksumming it, every implementation this CPU runs and csum.Copy itself, " +
			"against plain copies: " + peers,
		chart: "copy",
	}
	for _, n := range sizes {
		dst, src := b.dst[:n], b.src[:n]
		for _, im := range impls {
			cp := im.Copy
			s.fns = append(s.fns, &fn{
				bench: "Copy", sub: fmt.Sprintf("impl=%s/size=%d", shortImpl(im.Name), n),
				set: formatSize(n), label: im.Name, size: n,
				run: func(k int) {
					var sum csum.Sum
					for range k {
						sum = cp(dst, src, sum)
					}
					sinkSum = sum
				},
			})
		}
		s.fns = append(s.fns, &fn{
			bench: "Copy", sub: fmt.Sprintf("impl=default/size=%d", n),
			set: formatSize(n), label: "csum.Copy", size: n, goal: copyGoal(n, splits256(cpuid.CPU)),
			run: func(k int) {
				var sum csum.Sum
				for range k {
					sum = csum.Copy(dst, src, sum)
				}
				sinkSum = sum
			},
		})
		s.fns = append(s.fns, &fn{
			bench: "Copy", sub: fmt.Sprintf("impl=memmove/size=%d", n),
			set: formatSize(n), label: memmoveLabel, size: n, peer: true,
			run: func(k int) {
				for range k {
					copy(dst, src)
				}
			},
		})
		if memcpy := cMemcpy; memcpy != nil {
			s.fns = append(s.fns, &fn{
				bench: "Copy", sub: fmt.Sprintf("impl=memcpy/size=%d", n),
				set: formatSize(n), label: "memcpy (C)", size: n, peer: true,
				run: func(k int) {
					for range k {
						sinkInt = memcpy(dst, src)
					}
				},
			})
		}
	}
	return s
}

// available returns the implementations this CPU can run.
func available(impls []csum.Implementation) []csum.Implementation {
	var out []csum.Implementation
	for _, im := range impls {
		if im.Available {
			out = append(out, im)
		}
	}
	return out
}
