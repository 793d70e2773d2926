package main

import (
	"testing"

	"github.com/klauspost/cpuid/v2"
)

// TestCopyGoal checks the goal the report holds csum.Copy to at each size,
// on CPUs with whole 256-bit datapaths and on those that split them.
func TestCopyGoal(t *testing.T) {
	for _, c := range []struct {
		n      int
		splits bool
		want   float64 // 0: no goal
	}{
		{256, false, 0}, {1499, false, 0},
		{1500, false, 0.85}, {1500, true, 0.75},
		{4 << 10, false, 0.85}, {4 << 10, true, 0.75},
		{16 << 10, false, 0.85}, {16 << 10, true, 0.85},
		{64 << 10, false, 0.9}, {64 << 10, true, 0.9},
		{1 << 20, false, 0.9}, {16 << 20, true, 0.9},
	} {
		got := 0.0
		if g := copyGoal(c.n, c.splits); g != nil {
			if g.ref != memmoveLabel {
				t.Errorf("copyGoal(%d, %v) holds csum.Copy to %q, want %q", c.n, c.splits, g.ref, memmoveLabel)
			}
			got = g.ratio
		}
		if got != c.want {
			t.Errorf("copyGoal(%d, %v) = ≥ %g×, want ≥ %g× (0: none)", c.n, c.splits, got, c.want)
		}
	}
}

// TestSplits256 checks which CPUs the report counts as splitting 256-bit
// operations: Zen 1 and Zen+ only.
func TestSplits256(t *testing.T) {
	for _, c := range []struct {
		vendor        cpuid.Vendor
		family, model int
		want          bool
	}{
		{cpuid.AMD, 0x17, 0x01, true},    // Zen 1 (EPYC 7001)
		{cpuid.AMD, 0x17, 0x08, true},    // Zen+
		{cpuid.AMD, 0x17, 0x31, false},   // Zen 2
		{cpuid.AMD, 0x19, 0x01, false},   // Zen 3
		{cpuid.Intel, 0x06, 0xcf, false}, // Emerald Rapids
	} {
		if got := splits256(cpuid.CPUInfo{VendorID: c.vendor, Family: c.family, Model: c.model}); got != c.want {
			t.Errorf("splits256(%v family %#x model %#x) = %v, want %v", c.vendor, c.family, c.model, got, c.want)
		}
	}
}
