//go:build linux

package usercopy

import (
	"bytes"
	"testing"

	"github.com/iovkit/iovkit/internal/guardtest"
)

// TestMove checks move, the copy kernel of CopyIn and CopyOut, against
// copy: every length up to 300 and around a page, every alignment of either
// side mod 16, buffers flush against PROT_NONE pages at either end (a load
// or store outside the slices faults; prefetches do not), and overlapping
// slices.
func TestMove(t *testing.T) {
	if moveIsCopy {
		t.Skip("move is copy in this build")
	}
	testCopyKernel(t, "move", move)
	// Overlapping slices move as copy does.
	buf := make([]byte, 1000)
	ref := make([]byte, 1000)
	for _, c := range [][3]int{{0, 10, 500}, {10, 0, 500}, {0, 1, 200}, {300, 0, 128}, {0, 0, 600}} {
		for i := range buf {
			buf[i], ref[i] = byte(i), byte(i)
		}
		d, s, n := c[0], c[1], c[2]
		move(buf[d:d+n], buf[s:s+n])
		copy(ref[d:d+n], ref[s:s+n])
		if !bytes.Equal(buf, ref) {
			t.Errorf("move of %d overlapping bytes from %d to %d differs from copy", n, s, d)
		}
	}
}

// TestMoveNocache holds moveNocache, the non-temporal copy of CopyInNocache
// and MoveNocache, to copy in the same way.
func TestMoveNocache(t *testing.T) {
	testCopyKernel(t, "moveNocache", moveNocache)
}

// testCopyKernel checks a copy kernel against copy: every length up to 300
// and around a page, every alignment of the source mod 16 and several of
// the destination, buffers flush against PROT_NONE pages at either end.
func testCopyKernel(t *testing.T, name string, kernel func(dst, src []byte)) {
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
					kernel(c[0], c[1])
					clear(want)
					copy(want[cap(dst)-cap(c[0]):], c[1]) // at c[0]'s offset in dst
					if !bytes.Equal(dst, want) {
						t.Fatalf("%s of %d bytes, alignments %d and %d: wrong result", name, n, sa, da)
					}
				}
			}
		}
	}
}
