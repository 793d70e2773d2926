//go:build linux

package usercopy_test

import (
	"bytes"
	"errors"
	"runtime/debug"
	"strings"
	"testing"
	"unsafe"

	"github.com/iovkit/iovkit/cshim"
	"github.com/iovkit/iovkit/csum"
	"github.com/iovkit/iovkit/internal/usercopy"
	"golang.org/x/sys/unix"
)

// TestMultiOperation arms one Guard for several primitives, as an iterator
// does for a copy over many segments; the third faults. Every counter is
// exact and nothing after the fault runs.
func TestMultiOperation(t *testing.T) {
	f := newFixture(t, 4)
	f.protect(t, 2, 1, cshim.ProtNone)
	buf := make([]byte, 3*ps)
	var in, out, cleared int
	var ok1, ok2, reached bool
	g := guarded(f.as, func(g *usercopy.Guard) {
		ok1 = g.CopyIn(buf[:100], f.base+10, &in)
		ok2 = g.CopyOut(f.base+200, f.src[:300], &out)
		g.Clear(f.page(1)+100, 2*ps, &cleared) // faults at page 2
		reached = true
	})
	if !ok1 || !ok2 || in != 100 || out != 300 {
		t.Errorf("the first two operations: %v %v, %d and %d bytes; want true true 100 300", ok1, ok2, in, out)
	}
	if cleared != ps-100 || reached || !g.Faulted() || g.FaultAddr()&^uintptr(ps-1) != f.page(2) {
		t.Errorf("the faulting Clear: %d bytes (want %d), went on: %v, Faulted %v, fault address %#x",
			cleared, ps-100, reached, g.Faulted(), g.FaultAddr())
	}
	if !bytes.Equal(buf[:100], f.want[10:110]) || !bytes.Equal(f.user[200:500], f.src[:300]) ||
		nonZero(f.user[ps+100:2*ps]) >= 0 || !bytes.Equal(f.user[500:ps+100], f.want[500:ps+100]) {
		t.Errorf("memory does not hold what the counters say")
	}
	copy(f.user[:2*ps], f.want)

	// One counter across segments; a stop at End does not end the guard,
	// a fault does.
	var n int
	var okEnd, okAfter bool
	g = guarded(f.as, func(g *usercopy.Guard) {
		g.CopyOut(f.base, f.src[:10], &n)
		okEnd = g.CopyOut(f.as.End()-5, f.src[:10], &n) // 5 bytes, then End
		okAfter = g.CopyOut(f.base+20, f.src[:10], &n)
		g.CopyOut(f.page(2)-7, f.src[:10], &n) // 7 bytes, then page 2 faults
		reached = true
	})
	if n != 10+5+10+7 || okEnd || !okAfter || reached || !g.Faulted() {
		t.Errorf("one counter over four segments: %d bytes, want 32 (stop at End %v, next %v, went on %v)",
			n, okEnd, okAfter, reached)
	}
	copy(f.user[:2*ps], f.want) // page 2 is the PROT_NONE one
	copy(f.user[3*ps:], f.want[3*ps:])

	// Checksums over segments of odd lengths, from an odd stream offset:
	// one sum and one counter, exact at the fault.
	sum, off := csum.Sum(0x12345), 1
	g = guarded(f.as, func(g *usercopy.Guard) {
		g.CsumCopyIn(buf[:101], f.base+1, &sum, &off)
		g.Csum(f.base+1000, 333, &sum, &off)
		g.CsumCopyIn(buf[101:101+2*ps], f.page(1)+17, &sum, &off) // ps-17 bytes, then page 2 faults
	})
	var data []byte
	data = append(data, f.want[1:102]...)
	data = append(data, f.want[1000:1333]...)
	data = append(data, f.want[ps+17:2*ps]...)
	want := csum.BlockAdd(0x12345, csum.Partial(data, 0), 1)
	if off != 1+len(data) || csum.Fold(sum) != csum.Fold(want) || !g.Faulted() {
		t.Errorf("sum %#x at offset %d, want %#x at %d", sum, off, want, 1+len(data))
	}
}

func nonZero(b []byte) int {
	for i, x := range b {
		if x != 0 {
			return i
		}
	}
	return -1
}

// TestPanicOnFaultRestored checks that a Guard turns SetPanicOnFault on
// while armed and leaves the goroutine's own setting as it found it, after a
// clean run and after a fault.
func TestPanicOnFaultRestored(t *testing.T) {
	f := newFixture(t, 2)
	f.protect(t, 1, 1, cshim.ProtNone)
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(false))
	for _, prev := range []bool{false, true, false} {
		for _, at := range []uintptr{f.base, f.page(1)} {
			debug.SetPanicOnFault(prev)
			var armed bool
			guarded(f.as, func(g *usercopy.Guard) {
				armed = debug.SetPanicOnFault(true)
				var n int
				g.ProbeReadable(at, 1, &n)
			})
			if now := debug.SetPanicOnFault(prev); now != prev || !armed {
				t.Errorf("setting %v before, %v while armed, %v after", prev, armed, now)
			}
		}
	}
}

// TestMisuse checks the programming errors a Guard reports.
func TestMisuse(t *testing.T) {
	f := newFixture(t, 1)
	wantPanic := func(what, msg string, fn func()) {
		t.Helper()
		defer func() {
			if r := recover(); r == nil || !strings.Contains(r.(string), msg) {
				t.Errorf("%s: recovered %v, want a panic saying %q", what, r, msg)
			}
		}()
		fn()
	}
	var g usercopy.Guard
	var n int
	wantPanic("CopyOut without Arm", "not armed", func() { g.CopyOut(f.base, []byte{1}, &n) })
	g.Disarm() // not armed: nothing to do
	g.Arm(f.as)
	wantPanic("Arm twice", "already armed", func() { g.Arm(f.as) })
	g.Disarm()
	wantPanic("Clear after Disarm", "not armed", func() { g.Clear(f.base, 1, &n) })
	if debug.SetPanicOnFault(false) {
		t.Errorf("Disarm left SetPanicOnFault on")
	}

	// A Guard can be armed again, and a new run forgets the old stop.
	g = guarded(f.as, func(g *usercopy.Guard) { g.Clear(f.as.End(), 1, &n) })
	if !g.Faulted() {
		t.Fatal("no stop recorded")
	}
	g = guarded(f.as, func(g *usercopy.Guard) { g.Clear(f.base, 1, &n) })
	if g.Faulted() || g.FaultAddr() != 0 {
		t.Errorf("a re-armed Guard remembers the last stop")
	}
}

// badSpace is a Space whose Pointer misbehaves: it panics or returns memory
// outside [Base, End), or it returns nil (a space without memory).
type badSpace struct {
	base, end uintptr
	pointer   func(addr uintptr) unsafe.Pointer
}

func (s badSpace) Base() uintptr                       { return s.base }
func (s badSpace) End() uintptr                        { return s.end }
func (s badSpace) Pointer(addr uintptr) unsafe.Pointer { return s.pointer(addr) }

var errSentinel = errors.New("a panic that is not a fault")

// noAccess returns n bytes of Go-side memory, outside any Space, that fault
// when touched.
func noAccess(t testing.TB, n int) []byte {
	t.Helper()
	m, err := unix.Mmap(-1, 0, n, unix.PROT_NONE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Munmap(m) })
	return m
}

// TestOtherPanicsPassThrough checks that Disarm recovers only faults on user
// pages: any other panic and a fault at an address outside [Base, End) reach
// the caller unchanged.
func TestOtherPanicsPassThrough(t *testing.T) {
	f := newFixture(t, 1)
	outside := noAccess(t, ps)
	cases := []struct {
		name  string
		run   func()
		check func(r any) bool
	}{
		{"a panic in Pointer", func() {
			s := badSpace{f.base, f.as.End(), func(uintptr) unsafe.Pointer { panic(errSentinel) }}
			usercopy.CopyIn(make([]byte, 10), s, f.base)
		}, func(r any) bool { return r == errSentinel }},
		{"a fault in Go memory", func() {
			usercopy.CopyIn(outside[:10], f.as, f.base)
		}, func(r any) bool { return faultAt(r, outside) }},
		{"a fault in memory a Space wrongly returns", func() {
			s := badSpace{f.base, f.as.End(), func(a uintptr) unsafe.Pointer {
				return unsafe.Pointer(&outside[a-f.base])
			}}
			usercopy.CopyOut(s, f.base+3, make([]byte, 10))
		}, func(r any) bool { return faultAt(r, outside) }},
	}
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(false))
	for _, c := range cases {
		func() {
			// The test's own setting lets a fault outside the space be
			// recovered here rather than crash (see TestFaultOutsideCrashes).
			debug.SetPanicOnFault(true)
			defer func() {
				r := recover()
				if !c.check(r) {
					t.Errorf("%s: recovered %v", c.name, r)
				}
			}()
			c.run()
			t.Errorf("%s: no panic", c.name)
		}()
	}
}

// faultAt reports whether r is a memory fault inside b.
func faultAt(r any, b []byte) bool {
	e, ok := r.(interface{ Addr() uintptr })
	lo := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	return ok && e.Addr()&^uintptr(ps-1) >= lo && e.Addr() < lo+uintptr(len(b))
}

// TestNestedGuards arms a Guard inside another's operation: each recovers
// the faults in its own space only, and the inner one leaves SetPanicOnFault
// on for the outer one.
func TestNestedGuards(t *testing.T) {
	a, b := newFixture(t, 2), newFixture(t, 2)
	a.protect(t, 1, 1, cshim.ProtNone)
	b.protect(t, 1, 1, cshim.ProtNone)
	buf := make([]byte, 2*ps)
	var inner usercopy.Guard
	var innerN, outerN int
	var stillOn, reached bool
	outer := guarded(a.as, func(og *usercopy.Guard) {
		inner = guarded(b.as, func(g *usercopy.Guard) { g.CopyIn(buf, b.page(1)-10, &innerN) })
		stillOn = debug.SetPanicOnFault(true)
		// The outer Guard's operation faults while b's Guard is armed
		// deeper down: b's Disarm passes the fault on to the outer one.
		guarded(b.as, func(*usercopy.Guard) { og.CopyIn(buf, a.page(1)-20, &outerN) })
		reached = true
	})
	if innerN != 10 || !inner.Faulted() || inner.FaultAddr()&^uintptr(ps-1) != b.page(1) {
		t.Errorf("inner Guard: %d bytes, Faulted %v at %#x", innerN, inner.Faulted(), inner.FaultAddr())
	}
	if !stillOn {
		t.Errorf("the inner Guard turned SetPanicOnFault off under the outer one")
	}
	if reached || !outer.Faulted() || outer.FaultAddr()&^uintptr(ps-1) != a.page(1) {
		t.Errorf("outer Guard: went on %v, Faulted %v at %#x", reached, outer.Faulted(), outer.FaultAddr())
	}
	if outerN != 20 {
		t.Errorf("the outer Guard's copy counted %d bytes, want 20", outerN)
	}
}
