//go:build amd64 && gc && !purego

package csum

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// testOnlyImpls are routines that dispatch reaches only for some lengths,
// offered to every test as implementations of their own so that the
// differential, guard-page and fuzz tests run them at every length and
// alignment: the non-temporal copies, which Copy takes from copyNTMin
// bytes on (their Partial is that of their tier).
var testOnlyImpls = []Implementation{
	{Name: "amd64-avx512-nt", Available: hasAVX512, Partial: partialAVX512, Copy: copyAVX512NT},
	{Name: "amd64-avxvnni-nt", Available: hasAVXVNNI, Partial: partialAVXVNNI, Copy: copyAVXVNNINT},
	{Name: "amd64-avx2-nt", Available: hasAVX2, Partial: partialAVX2, Copy: copyAVX2NT},
}

// TestCopyChunksCached is TestCopyLarge across the 1 MiB chunk with
// copyNTMin raised, so that the vector tiers copy there with their cached
// loops on every machine (where L2 is 1 MiB or less they would stream).
func TestCopyChunksCached(t *testing.T) {
	defer func(n int) { copyNTMin = n }(copyNTMin)
	copyNTMin = 1 << 40
	copyLarge(t, []int{1<<20 + 1, 1<<20 + 32, 1<<20 + 256})
}

// TestCopyStreamingDispatch lowers copyNTMin so that copyAVX512,
// copyAVXVNNI and copyAVX2 hand short copies on to their streaming
// routines, and checks
// the copies and sums that come back.
func TestCopyStreamingDispatch(t *testing.T) {
	defer func(n int) { copyNTMin = n }(copyNTMin)
	copyNTMin = 200
	rng := rand.New(rand.NewPCG(19, 20))
	src := patterns(4096+64, rng)["random"]
	buf := make([]byte, 4096+128)
	for _, im := range available(t) {
		if im.Name != "amd64-avx512" && im.Name != "amd64-avxvnni" && im.Name != "amd64-avx2" {
			continue
		}
		for _, n := range []int{199, 200, 201, 333, 1024, 4095, 4096} {
			for _, da := range []int{0, 1, 31, 63} {
				s, d := src[da:da+n], buf[da:da+n]
				init := initialSum(rng, n)
				if got, want := Fold(im.Copy(d, s, init)), Fold(refPartial(s, init)); got != want || !bytes.Equal(d, s) {
					t.Fatalf("%s: len %d, dst offset %d: sum %#04x, want %#04x; copy equal: %v",
						im.Name, n, da, got, want, bytes.Equal(d, s))
				}
			}
		}
	}
}
