//go:build linux

package iter

import (
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
		tmpl, err := ImportIovec(Dest, s, vec)
		if err != nil {
			b.Fatal(err)
		}
		benchCopyTo(b, sh.name, "iovec", tmpl, make([]byte, sh.total))
	}
}

// BenchmarkNewUser imports three iovecs, as BenchmarkNew builds a Kvec.
func BenchmarkNewUser(b *testing.B) {
	s := testSpace(b)
	vec := []Iovec{{s.Base(), 500}, {s.Base() + 1000, 500}, {s.Base() + 2000, 500}}
	b.Run("kind=iovec", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := ImportIovec(Dest, s, vec); err != nil {
				b.Fatal(err)
			}
		}
	})
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
	tmpl, err := ImportIovec(Source, s, vec)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("kind=iovec", func(b *testing.B) {
		b.SetBytes(total)
		b.ReportAllocs()
		for b.Loop() {
			it := tmpl
			var st csum.State
			it.CsumAndCopyFrom(dst, &st)
		}
	})
}
