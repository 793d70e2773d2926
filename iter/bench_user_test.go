//go:build linux

package iter

import (
	"fmt"
	"testing"

	"github.com/iovkit/iovkit/csum"
)

// BenchmarkCopyToUser copies into user memory in the shapes of
// BenchmarkCopyTo (no fault), to hold it to the Kvec figures.
func BenchmarkCopyToUser(b *testing.B) {
	s := testSpace(b)
	for _, sh := range shapes {
		vec := make([]Iovec, sh.segs)
		for i := range vec {
			vec[i] = Iovec{s.Base() + uintptr(i*sh.size), uint64(sh.size)}
		}
		src := make([]byte, sh.total)
		b.Run(fmt.Sprintf("shape=%s/kind=iovec", sh.name), func(b *testing.B) {
			b.SetBytes(int64(sh.total))
			b.ReportAllocs()
			for b.Loop() {
				it, _ := ImportIovec(Dest, s, vec)
				if it.CopyTo(src) != sh.total {
					b.Fatal("short copy")
				}
			}
		})
	}
}

// BenchmarkCsumAndCopyFromUser is BenchmarkCsumAndCopyFrom out of user
// memory.
func BenchmarkCsumAndCopyFromUser(b *testing.B) {
	const total = 65536
	s := testSpace(b)
	vec := make([]Iovec, 16)
	for i := range vec {
		vec[i] = Iovec{s.Base() + uintptr(i*total/16), total / 16}
	}
	dst := make([]byte, total)
	b.Run("kind=iovec", func(b *testing.B) {
		b.SetBytes(total)
		b.ReportAllocs()
		for b.Loop() {
			it, _ := ImportIovec(Source, s, vec)
			var st csum.State
			it.CsumAndCopyFrom(dst, &st)
		}
	})
}
