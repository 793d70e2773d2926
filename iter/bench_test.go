package iter

import (
	"fmt"
	"testing"

	"github.com/iovkit/iovkit/csum"
)

// shapes are the segment layouts the benchmarks copy through: a 64 KiB
// copy in pages, one page, a packet in one piece and in three, and 1-byte
// segments (the layouts of the report's goals).
var shapes = []struct {
	name  string
	segs  int
	size  int // bytes per segment
	total int
}{
	{"16x4096", 16, 4096, 65536},
	{"1x4096", 1, 4096, 4096},
	{"1x1500", 1, 1500, 1500},
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
// the same bytes into contiguous memory (kind=copy) and to a bare loop of
// copy() over the same segments (kind=loop).
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
		b.Run(fmt.Sprintf("shape=%s/kind=loop", sh.name), func(b *testing.B) {
			b.SetBytes(int64(sh.total))
			b.ReportAllocs()
			for b.Loop() {
				n := 0
				for _, s := range segs {
					n += copy(s, src[n:])
				}
				if n != len(src) {
					b.Fatal("short copy")
				}
			}
		})
		benchCopyTo(b, sh.name, "kvec", NewKvec(Dest, segs), src)
	}
}

// benchCopyTo measures CopyTo of src into a fresh copy of tmpl: copying an
// Iter value is what an Iter costs to make once it is built; BenchmarkNew
// measures the building.
func benchCopyTo(b *testing.B, shape, kind string, tmpl Iter, src []byte) {
	b.Run(fmt.Sprintf("shape=%s/kind=%s", shape, kind), func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		b.ReportAllocs()
		for b.Loop() {
			it := tmpl
			if it.CopyTo(src) != len(src) {
				b.Fatal("short copy")
			}
		}
	})
}

// BenchmarkNew builds iterators over three segments.
func BenchmarkNew(b *testing.B) {
	segs := kvecOf(3, 500)
	b.Run("kind=kvec", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			it := NewKvec(Dest, segs)
			if it.Count() != 1500 {
				b.Fatal("wrong count")
			}
		}
	})
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
	tmpl := NewKvec(Source, segs)
	run("kvec", func() {
		it := tmpl
		var st csum.State
		it.CsumAndCopyFrom(dst, &st)
	})
	run("kvec-copy-then-sum", func() {
		it := tmpl
		it.CopyFrom(dst)
		csum.Partial(dst, 0)
	})
}
