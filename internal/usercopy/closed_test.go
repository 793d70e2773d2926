//go:build linux

package usercopy_test

import (
	"testing"
	"unsafe"

	"github.com/iovkit/iovkit/csum"
	"github.com/iovkit/iovkit/internal/usercopy"
)

// target is Go memory at a low address (a global), which a pointer computed
// from a nil base would reach.
var target = [8]byte{'t', 'a', 'r', 'g', 'e', 't', '!', '!'}

// TestNoMemory runs every op on a Space whose Pointer returns nil (a
// closed cshim.Space), placed so that user address base+&target would be
// &target if a pointer were computed from nil: each stops at its first byte,
// touching nothing.
func TestNoMemory(t *testing.T) {
	const base = 1 << 16
	g := uintptr(unsafe.Pointer(&target))
	s := badSpace{base, base + g + 1<<20, func(uintptr) unsafe.Pointer { return nil }}
	addr := base + g
	want := target
	buf := make([]byte, len(target))
	var sum csum.Sum
	counts := map[string]int{
		"CopyOut":   usercopy.CopyOut(s, addr, []byte("PWNED!!!")),
		"CopyIn":    usercopy.CopyIn(buf, s, addr),
		"Clear":     usercopy.Clear(s, addr, len(target)),
		"Readable":  usercopy.Readable(s, addr, len(target)),
		"Writeable": usercopy.Writeable(s, addr, len(target)),
	}
	counts["CsumCopyIn"], sum = usercopy.CsumCopyIn(buf, s, addr, 0)
	counts["CsumCopyOut"], _ = usercopy.CsumCopyOut(s, addr, []byte("PWNED!!!"), 0)
	var n, summed int
	okNocache, faultNocache := walk(s, usercopy.OpCopyInNocache, addr, len(buf), buf, nil, &n)
	okCsum, faultCsum := walk(s, usercopy.OpCsum, addr, len(target), nil, &sum, &summed)
	counts["CopyInNocache"], counts["Csum"] = n, summed
	for name, n := range counts {
		if n != 0 {
			t.Errorf("%s on a space without memory moved %d bytes", name, n)
		}
	}
	if target != want || string(buf) != string(make([]byte, len(buf))) || sum != 0 {
		t.Fatalf("Go memory now %q (was %q); read %q; checksum %#x", target, want, buf, sum)
	}
	if okNocache || okCsum || faultNocache != 0 || faultCsum != 0 {
		t.Errorf("Walk: done %v %v, faults at %#x %#x; want stops without a fault", okNocache, okCsum, faultNocache, faultCsum)
	}
}
