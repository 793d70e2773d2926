//go:build linux

package usercopy_test

import (
	"testing"

	"github.com/iovkit/iovkit/cshim"
	"github.com/iovkit/iovkit/csum"
	"github.com/iovkit/iovkit/internal/usercopy"
)

// multi copies segs to user memory at at under one Guard, as an iterator
// does.
func multi(as usercopy.Space, at uintptr, segs [][]byte, sum *csum.Sum) (n int) {
	var g usercopy.Guard
	g.Arm(as)
	defer g.Disarm()
	for _, s := range segs {
		if !g.CopyOut(at+uintptr(n), s, &n) {
			break
		}
	}
	g.CsumCopyIn(segs[0], at, sum, &n)
	return n
}

// TestAllocs checks that no transfer allocates. A fault costs one small
// allocation, the runtime's own: the panic value it builds in sigpanic.
func TestAllocs(t *testing.T) {
	f := newFixture(t, 5)
	f.protect(t, 3, 1, cshim.ProtNone)
	buf := make([]byte, 3*ps)
	segs := [][]byte{buf[:100], buf[100:ps], buf[ps : 2*ps+1]}
	var sum csum.Sum
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
		{"one Guard, several primitives", 0, func() { multi(f.as, f.base+5, segs, &sum) }},
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
