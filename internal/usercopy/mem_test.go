//go:build linux

package usercopy_test

import (
	"bytes"
	"runtime/debug"
	"sync/atomic"
	"testing"
	"unsafe"

	"github.com/iovkit/iovkit/cshim"
	"github.com/iovkit/iovkit/internal/usercopy"
)

// movable is a Space whose memory can move between walks to another
// cshim.Space, as a remapped process's would, or go, when that space is
// closed: Pointer translates [Base, End) onto the space it is on now.
type movable struct {
	base, end uintptr
	on        *cshim.Space
}

func (s *movable) Base() uintptr { return s.base }
func (s *movable) End() uintptr  { return s.end }
func (s *movable) Pointer(a uintptr) unsafe.Pointer {
	return s.on.Pointer(a - s.base + s.on.Base())
}

// TestMemFollowsItsSpace checks that a Mem, which reads its space's window
// once, touches at each walk only the memory the space has then: the new
// memory after it moves, and none at all after the space is closed, where
// a walk stops at once without a fault rather than reach the unmapped
// memory the Mem still holds.
func TestMemFollowsItsSpace(t *testing.T) {
	a, b := newFixture(t, 2), newFixture(t, 2)
	s := &movable{a.base, a.as.End(), a.as}
	m := usercopy.NewMem(s)
	seg := func(off, n int) []usercopy.Seg { return []usercopy.Seg{{s.base + uintptr(off), uint64(n)}} }
	walkOut := func(off, n int) (int, bool, uintptr) {
		var done int
		_, _, ok, fault := m.Walk(usercopy.OpCopyOut, seg(off, n), 0, n, a.src[off:], nil, &done)
		return done, ok, fault
	}

	if !m.CopyPiece(true, s.base+10, a.src[10:20]) || !bytes.Equal(a.user[10:20], a.src[10:20]) {
		t.Fatalf("CopyPiece on the space's first memory: user memory %x, want %x", a.user[10:20], a.src[10:20])
	}

	s.on = b.as
	if m.CopyPiece(true, s.base+30, a.src[30:40]) {
		t.Errorf("CopyPiece after the memory moved reported a copy: it leaves a space it does not hold to Walk")
	}
	if !bytes.Equal(a.user[20:], a.want[20:]) || !bytes.Equal(b.user, b.want) {
		t.Fatalf("CopyPiece after the memory moved wrote memory")
	}
	if done, ok, fault := walkOut(100, 2*ps-100); !ok || done != 2*ps-100 || fault != 0 || !bytes.Equal(b.user[100:], a.src[100:]) {
		t.Errorf("Walk after the memory moved: %d bytes, ok %v, fault %#x; new memory written: %v",
			done, ok, fault, bytes.Equal(b.user[100:], a.src[100:]))
	}
	if !bytes.Equal(a.user[20:], a.want[20:]) {
		t.Errorf("Walk wrote the memory the space left")
	}

	s.on = a.as
	if err := b.as.Close(); err != nil {
		t.Fatal(err)
	}
	s.on = b.as // closed: Pointer returns nil for every address
	copy(a.user, a.want)
	if m.CopyPiece(true, s.base, a.src[:10]) {
		t.Errorf("CopyPiece on a closed space reported a copy")
	}
	if done, ok, fault := walkOut(0, 2*ps); ok || done != 0 || fault != 0 {
		t.Errorf("Walk on a closed space: %d bytes, ok %v, fault %#x; want a stop at once without a fault", done, ok, fault)
	}
	if !bytes.Equal(a.user, a.want) {
		t.Errorf("a walk on a closed space wrote memory the space had before")
	}
}

// TestCopyPiece checks CopyPiece's part of the bargain: it copies a piece
// that lies in one page inside the space, and refuses any other (across a
// page boundary, partly or wholly outside the space, on a page that faults)
// having moved nothing; it recovers only faults on user pages, and leaves
// SetPanicOnFault as it found it.
func TestCopyPiece(t *testing.T) {
	f := newFixture(t, 3)
	f.protect(t, 2, 1, cshim.ProtNone)
	m := usercopy.NewMem(f.as)
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(false))
	for _, c := range []struct {
		name string
		at   uintptr
		n    int
		ok   bool
	}{
		{"a whole page", f.base, ps, true},
		{"the end of a page", f.page(1) - 7, 7, true},
		{"one byte", f.page(1) + 5, 1, true},
		{"across a page boundary", f.page(1) - 7, 8, false},
		{"before the space", f.base - 4, 4, false},
		{"from the last page past the end", f.page(2) + uintptr(ps) - 4, 5, false},
		{"after the space", f.as.End(), 1, false},
		{"a page that faults", f.page(2) + 1, 10, false},
	} {
		for _, out := range []bool{true, false} {
			for _, prev := range []bool{false, true} {
				copy(f.user[:2*ps], f.want)
				buf := make([]byte, c.n)
				if out {
					copy(buf, f.src)
				}
				debug.SetPanicOnFault(prev)
				ok := m.CopyPiece(out, c.at, buf)
				if now := debug.SetPanicOnFault(prev); now != prev {
					t.Errorf("%s: SetPanicOnFault %v before, %v after", c.name, prev, now)
				}
				if ok != c.ok {
					t.Errorf("%s (out %v): CopyPiece returned %v, want %v", c.name, out, ok, c.ok)
					continue
				}
				at := int(c.at - f.base)
				want := bytes.Clone(f.want[:2*ps])
				if ok && out {
					copy(want[at:], f.src[:c.n])
				}
				switch {
				case !bytes.Equal(f.user[:2*ps], want):
					t.Errorf("%s (out %v, copied %v): user memory is not what the copy should leave", c.name, out, ok)
				case ok && !out && !bytes.Equal(buf, f.want[at:at+c.n]):
					t.Errorf("%s: read %x, want %x", c.name, buf, f.want[at:at+c.n])
				case !ok && !out && !bytes.Equal(buf, make([]byte, c.n)):
					t.Errorf("%s: refused, yet wrote %x into the buffer", c.name, buf)
				}
			}
		}
	}

	outside := noAccess(t, ps)
	for _, prev := range []bool{false, true} {
		func() {
			debug.SetPanicOnFault(true) // so that the fault reaches the recover below
			defer func() {
				if r := recover(); !faultAt(r, outside) {
					t.Errorf("a fault in Go memory: recovered %v, want it passed on", r)
				}
				if now := debug.SetPanicOnFault(false); now != prev {
					t.Errorf("a fault in Go memory: SetPanicOnFault %v before CopyPiece, %v when its panic arrived", prev, now)
				}
			}()
			debug.SetPanicOnFault(prev) // what CopyPiece must restore before the panic goes on
			m.CopyPiece(false, f.base, outside[:10])
			t.Errorf("a fault in Go memory: no panic")
		}()
	}

	// End inside a page: a piece within the page that runs past End is not
	// one piece inside the space, and Walk stops at End.
	g := newFixture(t, 2)
	w := window{g.as, g.base + 3, g.as.End() - 5, new(atomic.Int32)}
	wm := usercopy.NewMem(w)
	if wm.CopyPiece(true, w.hi-7, g.src[:10]) || !bytes.Equal(g.user, g.want) {
		t.Errorf("CopyPiece of 10 bytes from 7 before an unaligned End: accepted or wrote")
	}
	var done int
	_, _, ok, fault := wm.Walk(usercopy.OpCopyOut, []usercopy.Seg{{w.hi - 7, 10}}, 0, 10, g.src, nil, &done)
	at := int(w.hi - 7 - g.base)
	if ok || fault != 0 || done != 7 || !bytes.Equal(g.user[at:at+7], g.src[:7]) || !bytes.Equal(g.user[at+7:], g.want[at+7:]) {
		t.Errorf("Walk of 10 bytes from 7 before an unaligned End: ok %v, fault %#x, %d bytes; want a stop at End after 7, nothing past it", ok, fault, done)
	}
	if !wm.CopyPiece(true, w.hi-7, g.src[:7]) {
		t.Errorf("CopyPiece of the last 7 bytes before an unaligned End refused them")
	}
}
