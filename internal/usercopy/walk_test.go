//go:build linux

package usercopy_test

import (
	"bytes"
	"errors"
	"runtime/debug"
	"testing"
	"unsafe"

	"github.com/iovkit/iovkit/cshim"
	"github.com/iovkit/iovkit/csum"
	"github.com/iovkit/iovkit/internal/usercopy"
	"golang.org/x/sys/unix"
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

// TestWalkStops walks ranges that stop in the ways a walk can: at a
// fault, with the fault's page and the exact bytes; at End, with no fault;
// and checksums over segments of odd lengths from an odd stream offset,
// exact at the fault.
func TestWalkStops(t *testing.T) {
	f := newFixture(t, 4)
	f.protect(t, 2, 1, cshim.ProtNone)

	var cleared int
	ok, fault := walk(f.as, usercopy.OpClear, f.page(1)+100, 2*ps, nil, nil, &cleared) // faults at page 2
	if cleared != ps-100 || ok || fault&^uintptr(ps-1) != f.page(2) {
		t.Errorf("the faulting Clear: %d bytes (want %d), returned %v, fault address %#x", cleared, ps-100, ok, fault)
	}
	if nonZero(f.user[ps+100:2*ps]) >= 0 || !bytes.Equal(f.user[:ps+100], f.want[:ps+100]) {
		t.Errorf("memory does not hold what the counter says")
	}
	copy(f.user[:2*ps], f.want)

	// One counter across segments: a stop at End, then a fault.
	var n int
	segs := []usercopy.Seg{{Base: f.base, Len: 10}, {Base: f.as.End() - 5, Len: 10}}
	if _, _, ok, fault := usercopy.Walk(f.as, usercopy.OpCopyOut, segs, 0, 20, f.src, nil, &n); n != 15 || ok || fault != 0 {
		t.Errorf("across End: %d bytes, returned %v, fault address %#x; want 15, false, 0", n, ok, fault)
	}
	n = 0
	segs = []usercopy.Seg{{Base: f.base + 20, Len: 10}, {Base: f.page(2) - 7, Len: 10}}
	if _, _, ok, fault := usercopy.Walk(f.as, usercopy.OpCopyOut, segs, 0, 20, f.src, nil, &n); n != 17 || ok || fault&^uintptr(ps-1) != f.page(2) {
		t.Errorf("into page 2: %d bytes, returned %v, fault address %#x; want 17, false, page 2", n, ok, fault)
	}
	if !bytes.Equal(f.user[20:30], f.src[:10]) || !bytes.Equal(f.user[2*ps-7:2*ps], f.src[10:17]) {
		t.Errorf("memory does not hold what the counter says")
	}
	copy(f.user[:2*ps], f.want)
	copy(f.user[3*ps:], f.want[3*ps:])

	// Checksums over segments of odd lengths, from an odd stream offset:
	// one sum and one counter, exact at the fault.
	buf := make([]byte, 3*ps)
	sum, off := csum.Sum(0x12345), 1
	segs = []usercopy.Seg{{Base: f.base + 1, Len: 101}, {Base: f.base + 1000, Len: 333}, {Base: f.page(1) + 17, Len: uint64(2 * ps)}}
	usercopy.Walk(f.as, usercopy.OpCsumCopyIn, segs, 0, 101+333+2*ps, buf, &sum, &off)
	var data []byte
	data = append(data, f.want[1:102]...)
	data = append(data, f.want[1000:1333]...)
	data = append(data, f.want[ps+17:2*ps]...)
	want := csum.BlockAdd(0x12345, csum.Partial(data, 0), 1)
	if off != 1+len(data) || csum.Fold(sum) != csum.Fold(want) || !bytes.Equal(buf[:len(data)], data) {
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

// TestPanicOnFaultRestored checks that a walk leaves the goroutine's
// SetPanicOnFault setting as it found it, on or off, after a clean run and
// after a fault.
func TestPanicOnFaultRestored(t *testing.T) {
	f := newFixture(t, 2)
	f.protect(t, 1, 1, cshim.ProtNone)
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(false))
	for _, prev := range []bool{false, true, false} {
		for _, at := range []uintptr{f.base, f.page(1)} {
			debug.SetPanicOnFault(prev)
			var n int
			walk(f.as, usercopy.OpProbeReadable, at, 1, nil, nil, &n)
			if now := debug.SetPanicOnFault(prev); now != prev {
				t.Errorf("setting %v before, %v after (probe at %#x)", prev, now, at)
			}
		}
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

// TestOtherPanicsPassThrough checks that a walk recovers only faults on
// user pages: any other panic and a fault at an address outside [Base, End) reach
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
		for _, prev := range []bool{true, false} {
			func() {
				// The walk turns SetPanicOnFault on, so a fault outside the
				// space becomes a panic that reaches here whatever the
				// setting before it (see TestFaultOutsideCrashes), which the
				// walk must have restored by then.
				debug.SetPanicOnFault(prev)
				defer func() {
					r := recover()
					if !c.check(r) {
						t.Errorf("%s: recovered %v", c.name, r)
					}
					if now := debug.SetPanicOnFault(false); now != prev {
						t.Errorf("%s: SetPanicOnFault %v before the walk, %v when its panic arrived", c.name, prev, now)
					}
				}()
				c.run()
				t.Errorf("%s: no panic", c.name)
			}()
		}
	}
}

// faultAt reports whether r is a memory fault inside b.
func faultAt(r any, b []byte) bool {
	e, ok := r.(interface{ Addr() uintptr })
	lo := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	return ok && e.Addr()&^uintptr(ps-1) >= lo && e.Addr() < lo+uintptr(len(b))
}
