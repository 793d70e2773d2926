//go:build linux

package csum

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/iovkit/iovkit/internal/guardtest"
)

// TestGuardPages puts every buffer flush against a PROT_NONE page, after its
// end and before its start, so that an implementation that reads or writes a
// byte outside its slice crashes the test.
func TestGuardPages(t *testing.T) {
	const span = 3 * 4096
	lengths := []int{span, span - 1, 4096, 4095, 2048 + 63}
	for n := 0; n <= 600; n++ {
		lengths = append(lengths, n)
	}
	guardPages(t, span, lengths)
}

// TestGuardPagesChunks is TestGuardPages across the vector tiers' 1 MiB
// chunks: a second chunk of one byte, of a 32-byte block, of a round less
// one byte, and of two pages.
func TestGuardPagesChunks(t *testing.T) {
	const span = 1<<20 + 2*4096
	guardPages(t, span, []int{1<<20 + 1, 1<<20 + 32, 1<<20 + 255, span})
}

// guardPages checks Partial and Copy of every implementation at each
// length, with the bytes against guard pages in buffers of span bytes.
func guardPages(t *testing.T, span int, lengths []int) {
	rng := rand.New(rand.NewPCG(31, 32))
	src, dst := guardtest.Guarded(t, span), guardtest.Guarded(t, span)
	for i := range src {
		src[i] = byte(rng.Uint32())
	}
	// The package's own Partial and Copy first: the dispatch, and the sum
	// of 8 to shortLen bytes that Partial does itself.
	own := Implementation{Name: "csum.Partial and csum.Copy", Partial: Partial, Copy: Copy}
	for _, im := range append([]Implementation{own}, available(t)...) {
		for _, n := range lengths {
			init := initialSum(rng, n)
			// The source ends at the guard page, then starts after the one
			// before it; the destination does the opposite.
			for _, s := range [][]byte{src[len(src)-n:], src[:n]} {
				want := Fold(refPartial(s, init))
				if got := Fold(im.Partial(s, init)); got != want {
					t.Fatalf("%s: Partial of %d guarded bytes: %#04x, want %#04x", im.Name, n, got, want)
				}
			}
			for _, c := range [][2][]byte{{dst[:n], src[len(src)-n:]}, {dst[len(dst)-n:], src[:n]}} {
				d, s := c[0], c[1]
				for i, b := range s {
					d[i] = ^b // a byte the copy leaves alone shows
				}
				if got, want := Fold(im.Copy(d, s, init)), Fold(refPartial(s, init)); got != want || !bytes.Equal(d, s) {
					t.Fatalf("%s: Copy of %d guarded bytes: %#04x, want %#04x; copy equal: %v",
						im.Name, n, got, want, bytes.Equal(d, s))
				}
			}
		}
	}
}
