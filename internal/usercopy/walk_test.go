//go:build linux

package usercopy_test

import (
	"bytes"
	"testing"

	"github.com/iovkit/iovkit/cshim"
	"github.com/iovkit/iovkit/internal/usercopy"
)

// TestWalk checks what Walk reports on its own: the position after the
// bytes it moved (past ends of segments and empty ones), and after a stop
// or a fault no position, the exact count, and the fault's address.
func TestWalk(t *testing.T) {
	f := newFixture(t, 4)
	f.protect(t, 2, 1, cshim.ProtNone)
	segs := []usercopy.Seg{
		{f.base + 10, 100}, {f.base + 500, 0}, {f.base + 1000, 50}, {f.base, 0}, {f.base, 0},
		{f.page(1) + 100, uint64(2 * ps)}, // runs into the PROT_NONE page 2
	}
	cases := []struct {
		name        string
		off, n      int
		seg, segOff int
		done        int
		ok, faulted bool
	}{
		{"inside the first", 0, 40, 0, 40, 40, true, false},
		{"to the end of the first, then past an empty one", 0, 100, 2, 0, 100, true, false},
		{"from an offset, to the end of the third", 30, 120, 5, 0, 120, true, false},
		{"into the last", 95, 5 + 50 + 7, 5, 7, 5 + 50 + 7, true, false},
		{"nothing", 7, 0, 0, 7, 0, true, false},
		{"to the fault", 0, 150 + ps, 0, 0, 150 + ps - 100, false, true},
	}
	for _, c := range cases {
		buf := make([]byte, c.n)
		var done int
		seg, segOff, ok, fault := usercopy.Walk(f.as, usercopy.OpCopyIn, segs, c.off, c.n, buf, nil, &done)
		if seg != c.seg || segOff != c.segOff || ok != c.ok || done != c.done {
			t.Errorf("%s: position %d+%d, ok %v, %d bytes; want %d+%d, %v, %d",
				c.name, seg, segOff, ok, done, c.seg, c.segOff, c.ok, c.done)
		}
		if (fault != 0) != c.faulted || c.faulted && fault&^uintptr(ps-1) != f.page(2) {
			t.Errorf("%s: fault at %#x, want one in page %#x: %v", c.name, fault, f.page(2), c.faulted)
		}
		var want []byte
		for i, rest, off := 0, done, c.off; rest > 0; i, off = i+1, 0 {
			k := min(int(segs[i].Len)-off, rest)
			if k > 0 {
				at := int(segs[i].Base-f.base) + off
				want = append(want, f.want[at:at+k]...)
				rest -= k
			}
		}
		if !bytes.Equal(buf[:done], want) {
			t.Errorf("%s: copied the wrong bytes", c.name)
		}
	}

	// A stop at End is no fault; a closed space stops at once.
	var done int
	end := []usercopy.Seg{{f.as.End() - 3, 10}}
	if _, _, ok, fault := usercopy.Walk(f.as, usercopy.OpClear, end, 0, 10, nil, nil, &done); ok || fault != 0 || done != 3 {
		t.Errorf("across End: ok %v, fault %#x, %d bytes; want false, 0, 3", ok, fault, done)
	}
	s, err := cshim.NewSpace(ps)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	done = 0
	if _, _, ok, fault := usercopy.Walk(s, usercopy.OpClear, []usercopy.Seg{{s.Base(), 10}}, 0, 10, nil, nil, &done); ok || fault != 0 || done != 0 {
		t.Errorf("closed space: ok %v, fault %#x, %d bytes; want false, 0, 0", ok, fault, done)
	}
}
