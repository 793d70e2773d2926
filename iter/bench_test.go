package iter

import (
	"fmt"
	"testing"

	"github.com/iovkit/iovkit/csum"
)

// shapes are the segment layouts the benchmarks copy through: a 64 KiB
// copy in pages, a packet in three pieces, and 1-byte segments.
var shapes = []struct {
	name  string
	segs  int
	size  int // bytes per segment
	total int
}{
	{"16x4096", 16, 4096, 65536},
	{"3x500", 3, 500, 1500},
	{"1024x1", 1024, 1, 1024},
}

func kvecOf(segs, size int) [][]byte {
	buf := make([]byte, segs*size)
	out := make([][]byte, segs)
	for i := range out {
		out[i] = buf[i*size : (i+1)*size]
	}
	return out
}

// BenchmarkCopyTo copies into each shape of Kvec, next to one copy() of
// the same bytes into contiguous memory (kind=copy).
func BenchmarkCopyTo(b *testing.B) {
	for _, sh := range shapes {
		src, dst := make([]byte, sh.total), make([]byte, sh.total)
		b.Run(fmt.Sprintf("shape=%s/kind=copy", sh.name), func(b *testing.B) {
			b.SetBytes(int64(sh.total))
			b.ReportAllocs()
			for b.Loop() {
				copy(dst, src)
			}
		})
		segs := kvecOf(sh.segs, sh.size)
		b.Run(fmt.Sprintf("shape=%s/kind=kvec", sh.name), func(b *testing.B) {
			b.SetBytes(int64(sh.total))
			b.ReportAllocs()
			for b.Loop() {
				it := NewKvec(Dest, segs)
				if it.CopyTo(src) != sh.total {
					b.Fatal("short copy")
				}
			}
		})
	}
}

// BenchmarkCsumAndCopyFrom checksums 64 KiB while copying it out of 16
// segments, next to csum.Copy of 64 KiB of contiguous memory and to a
// CopyFrom followed by csum.Partial.
func BenchmarkCsumAndCopyFrom(b *testing.B) {
	const total = 65536
	segs := kvecOf(16, total/16)
	dst, src := make([]byte, total), make([]byte, total)
	run := func(name string, f func()) {
		b.Run("kind="+name, func(b *testing.B) {
			b.SetBytes(total)
			b.ReportAllocs()
			for b.Loop() {
				f()
			}
		})
	}
	run("csum.Copy", func() { csum.Copy(dst, src, 0) })
	run("kvec", func() {
		it := NewKvec(Source, segs)
		var st csum.State
		it.CsumAndCopyFrom(dst, &st)
	})
	run("kvec-copy-then-sum", func() {
		it := NewKvec(Source, segs)
		it.CopyFrom(dst)
		csum.Partial(dst, 0)
	})
}
