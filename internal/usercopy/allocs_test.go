//go:build linux

package usercopy_test

import (
	"testing"

	"github.com/iovkit/iovkit/cshim"
	"github.com/iovkit/iovkit/csum"
	"github.com/iovkit/iovkit/internal/usercopy"
)

// TestAllocs checks that no transfer allocates. A fault costs one small
// allocation, the runtime's own: the panic value it builds in sigpanic.
func TestAllocs(t *testing.T) {
	f := newFixture(t, 5)
	f.protect(t, 3, 1, cshim.ProtNone)
	buf := make([]byte, 3*ps)
	segs := []usercopy.Seg{{Base: f.base + 5, Len: 100}, {Base: f.base + 1000, Len: 0}, {Base: f.page(1) + 7, Len: uint64(2*ps + 1)}}
	var sum csum.Sum
	var done int
	for _, c := range []struct {
		name string
		max  float64
		run  func()
	}{
		{"CopyIn", 0, func() { usercopy.CopyIn(buf, f.as, f.base) }},
		{"CopyOut", 0, func() { usercopy.CopyOut(f.as, f.base, buf) }},
		{"Clear", 0, func() { usercopy.Clear(f.as, f.base, len(buf)) }},
		{"CsumCopyIn", 0, func() { usercopy.CsumCopyIn(buf, f.as, f.base, 0) }},
		{"CsumCopyOut", 0, func() { usercopy.CsumCopyOut(f.as, f.base, buf, 0) }},
		{"Readable", 0, func() { usercopy.Readable(f.as, f.base, len(buf)) }},
		{"Writeable", 0, func() { usercopy.Writeable(f.as, f.base, len(buf)) }},
		{"Walk over several segments", 0, func() {
			usercopy.Walk(f.as, usercopy.OpCsumCopyIn, segs, 3, 2*ps, buf, &sum, &done)
		}},
		{"stop at End", 0, func() { usercopy.CopyOut(f.as, f.as.End()-5, buf) }},
		{"fault", 1, func() { usercopy.CopyIn(buf, f.as, f.page(3)-5) }},
	} {
		if got := testing.AllocsPerRun(100, c.run); got > c.max {
			t.Errorf("%s: %v allocations, want at most %v", c.name, got, c.max)
		} else if c.max > 0 {
			t.Logf("%s: %v allocations", c.name, got)
		}
	}
}
