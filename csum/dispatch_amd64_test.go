//go:build amd64 && gc && !purego

package csum

import (
	"maps"
	"os"
	"regexp"
	"strconv"
	"testing"
)

// TestTierNumbers holds the tier numbers of csum_amd64.h, by which the
// assembly dispatches, to the Go constants (a mismatch would run another
// tier than Active names), and SHORT_LEN to shortLen.
func TestTierNumbers(t *testing.T) {
	h, err := os.ReadFile("csum_amd64.h")
	if err != nil {
		t.Fatal(err)
	}
	tiers := map[string]int{
		"TIER_AVX512":  tierAVX512,
		"TIER_AVXVNNI": tierAVXVNNI,
		"TIER_AVX2":    tierAVX2,
		"TIER_ADX":     tierADX,
		"TIER_SCALAR":  tierScalar,
		"TIER_SSE2":    tierSSE2,
	}
	want := map[string]int{"SHORT_LEN": shortLen}
	maps.Copy(want, tiers)
	found := 0
	for _, m := range regexp.MustCompile(`(?m)^#define ((?:TIER|SHORT)_\w+)\s+(\d+)`).FindAllSubmatch(h, -1) {
		name := string(m[1])
		n, _ := strconv.Atoi(string(m[2]))
		w, ok := want[name]
		if !ok {
			t.Errorf("csum_amd64.h defines %s, which has no Go constant", name)
			continue
		}
		if n != w {
			t.Errorf("csum_amd64.h: %s is %d, the Go constant %d", name, n, w)
		}
		found++
	}
	if found != len(want) {
		t.Errorf("csum_amd64.h defines %d of the %d numbers", found, len(want))
	}
	ids := map[int]bool{}
	for _, n := range tiers {
		ids[n] = true
	}
	for _, im := range archImpls {
		if !ids[im.id] {
			t.Errorf("%s: id %d has no tier number in csum_amd64.h", im.Name, im.id)
		}
	}
}
