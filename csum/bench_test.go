package csum

import (
	"fmt"
	"strings"
	"testing"
)

// benchSizes runs from an IPv4 header to well past the last-level cache.
var benchSizes = []int{20, 40, 64, 256, 1500, 4096, 65536, 1 << 20, 16 << 20}

// benchImpls is every available implementation, plus "default": the
// package's own Partial and Copy with their dispatch.
func benchImpls(b *testing.B) []Implementation {
	list := []Implementation{{Name: "default", Partial: Partial, Copy: Copy}}
	for _, im := range available(b) {
		im.Name = strings.TrimPrefix(strings.TrimPrefix(im.Name, "amd64-"), "arm64-")
		list = append(list, im)
	}
	return list
}

func BenchmarkPartial(b *testing.B) {
	buf := make([]byte, benchSizes[len(benchSizes)-1])
	for i := range buf {
		buf[i] = byte(i * 7)
	}
	for _, im := range benchImpls(b) {
		if strings.HasSuffix(im.Name, "-nt") {
			continue // the Partial of its tier
		}
		for _, n := range benchSizes {
			b.Run(fmt.Sprintf("impl=%s/size=%d", im.Name, n), func(b *testing.B) {
				b.SetBytes(int64(n))
				b.ReportAllocs()
				var s Sum
				for b.Loop() {
					s = im.Partial(buf[:n], s)
				}
			})
		}
	}
}

func BenchmarkCopy(b *testing.B) {
	n := benchSizes[len(benchSizes)-1]
	src, dst := make([]byte, n), make([]byte, n)
	for i := range src {
		src[i] = byte(i * 7)
	}
	run := func(b *testing.B, n int, f func()) {
		b.SetBytes(int64(n))
		b.ReportAllocs()
		for b.Loop() {
			f()
		}
	}
	for _, n := range benchSizes {
		// Go's copy is the bandwidth Copy is held to.
		b.Run(fmt.Sprintf("impl=memmove/size=%d", n), func(b *testing.B) {
			run(b, n, func() { copy(dst[:n], src[:n]) })
		})
	}
	for _, im := range benchImpls(b) {
		for _, n := range benchSizes {
			b.Run(fmt.Sprintf("impl=%s/size=%d", im.Name, n), func(b *testing.B) {
				var s Sum
				run(b, n, func() { s = im.Copy(dst[:n], src[:n], s) })
			})
		}
	}
}
