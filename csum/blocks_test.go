package csum

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// blockLengths are lengths around the large strides of the assembly, which
// the differential tests (up to 1024 bytes) do not reach: the arm64 NEON
// tier adds its 32-bit lanes into the 64-bit sum every 512 KiB (4096 steps
// of 128 bytes) and runs a tail of up to 127 bytes into the last block's
// lanes, so its fullest lanes come at 512 KiB + 127; amd64-sse2 sums chunks
// of at most 1 MiB (2<<19), its multiply-add lanes fullest at the end of one.
var blockLengths = []int{
	1<<19 - 1, 1 << 19, 1<<19 + 1, 1<<19 + 127, 1<<19 + 128, 1<<19 + 129,
	2<<19 - 1, 2<<19 + 127, 3<<19 + 255,
}

// TestBlockBoundaries runs Partial and Copy of every implementation at
// blockLengths, on random and all-0xff data (the fullest lanes), at an even
// and an odd address.
func TestBlockBoundaries(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	maxLen := blockLengths[len(blockLengths)-1]
	dst := make([]byte, maxLen+1)
	for name, buf := range patterns(maxLen+1, rng) {
		if name == "zero" {
			continue
		}
		for _, n := range blockLengths {
			for _, align := range []int{0, 1} {
				b := buf[align : align+n]
				init := Sum(rng.Uint32())
				want := Fold(refPartial(b, init))
				for _, im := range available(t) {
					if got := Fold(im.Partial(b, init)); got != want {
						t.Errorf("%s: Partial: %s data, len %d, align %d: %#04x, want %#04x",
							im.Name, name, n, align, got, want)
					}
					clear(dst)
					d := dst[1-align : 1-align+n]
					if got := Fold(im.Copy(d, b, init)); got != want || !bytes.Equal(d, b) {
						t.Errorf("%s: Copy: %s data, len %d, align %d: %#04x, want %#04x; copy equal: %v",
							im.Name, name, n, align, got, want, bytes.Equal(d, b))
					}
				}
			}
		}
	}
}
