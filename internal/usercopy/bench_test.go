//go:build linux

package usercopy_test

import (
	"fmt"
	"testing"

	"github.com/iovkit/iovkit/internal/usercopy"
)

var benchSizes = []int{1500, 4096, 65536}

// BenchmarkCopyOut compares CopyOut, which walks the range page by page
// under its fault recovery, with one copy() into the same user memory.
func BenchmarkCopyOut(b *testing.B) {
	for _, size := range benchSizes {
		f := newFixture(b, (size+ps-1)/ps)
		src := make([]byte, size)
		b.Run(fmt.Sprintf("impl=usercopy/size=%d", size), func(b *testing.B) {
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				usercopy.CopyOut(f.as, f.base, src)
			}
		})
		b.Run(fmt.Sprintf("impl=copy/size=%d", size), func(b *testing.B) {
			b.SetBytes(int64(size))
			b.ReportAllocs()
			dst := f.as.Bytes(f.base, size)
			for b.Loop() {
				copy(dst, src)
			}
		})
	}
}

// BenchmarkCopyIn is BenchmarkCopyOut the other way.
func BenchmarkCopyIn(b *testing.B) {
	for _, size := range benchSizes {
		f := newFixture(b, (size+ps-1)/ps)
		dst := make([]byte, size)
		b.Run(fmt.Sprintf("impl=usercopy/size=%d", size), func(b *testing.B) {
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				usercopy.CopyIn(dst, f.as, f.base)
			}
		})
		b.Run(fmt.Sprintf("impl=copy/size=%d", size), func(b *testing.B) {
			b.SetBytes(int64(size))
			b.ReportAllocs()
			src := f.as.Bytes(f.base, size)
			for b.Loop() {
				copy(dst, src)
			}
		})
	}
}
