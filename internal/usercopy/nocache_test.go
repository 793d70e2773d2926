//go:build linux

package usercopy

import (
	"bytes"
	"testing"

	"github.com/iovkit/iovkit/internal/guardtest"
)

// TestMoveNocache checks moveNocache, the non-temporal copy of
// CopyInNocache and MoveNocache, against copy: every length up to 300 and
// around a page, every alignment of the source mod 16 and several of the
// destination, buffers flush against PROT_NONE pages at either end, so that
// a load or store outside the slices faults.
func TestMoveNocache(t *testing.T) {
	const span = 8192
	src, dst := guardtest.Guarded(t, span), guardtest.Guarded(t, span)
	for i := range src {
		src[i] = byte(i*7 + 3)
	}
	want := make([]byte, span)
	var lengths []int
	for n := 0; n <= 300; n++ {
		lengths = append(lengths, n)
	}
	for n := 4096 - 130; n <= 4096+130; n++ {
		lengths = append(lengths, n)
	}
	for _, n := range lengths {
		for sa := 0; sa < 16; sa++ {
			for da := 0; da < 16; da += 5 {
				// Flush against the guard page after, then before.
				for _, c := range [][2][]byte{
					{dst[span-n-da : span-da], src[span-n-sa : span-sa]},
					{dst[da : da+n], src[sa : sa+n]},
				} {
					clear(dst)
					moveNocache(c[0], c[1])
					clear(want)
					copy(want[cap(dst)-cap(c[0]):], c[1]) // at c[0]'s offset in dst
					if !bytes.Equal(dst, want) {
						t.Fatalf("moveNocache of %d bytes, alignments %d and %d: wrong result", n, sa, da)
					}
				}
			}
		}
	}
}
