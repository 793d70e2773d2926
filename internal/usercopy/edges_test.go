//go:build linux

package usercopy_test

import (
	"bytes"
	"sync/atomic"
	"testing"
	"unsafe"

	"github.com/iovkit/iovkit/cshim"
	"github.com/iovkit/iovkit/csum"
	"github.com/iovkit/iovkit/internal/usercopy"
)

// An op is one usercopy.Op under test, by name; writes says whether it
// stores to user memory.
type op struct {
	name   string
	writes bool
	op     usercopy.Op
}

var ops = []op{
	{"CopyIn", false, usercopy.OpCopyIn},
	{"CopyInNocache", false, usercopy.OpCopyInNocache},
	{"CopyOut", true, usercopy.OpCopyOut},
	{"Clear", true, usercopy.OpClear},
	{"CsumCopyIn", false, usercopy.OpCsumCopyIn},
	{"CsumCopyOut", true, usercopy.OpCsumCopyOut},
	{"Csum", false, usercopy.OpCsum},
	{"ProbeReadable", false, usercopy.OpProbeReadable},
	{"ProbeWriteable", true, usercopy.OpProbeWriteable},
}

// run walks the op over n bytes at user address a, copying to or from buf,
// and returns what Walk reported: the bytes moved, whether that was all,
// and the fault address.
func (p op) run(as usercopy.Space, a uintptr, n int, buf []byte) (d int, ok bool, fault uintptr) {
	var sum csum.Sum
	ok, fault = walk(as, p.op, a, n, buf, &sum, &d)
	return d, ok, fault
}

// convenience runs the convenience function of an op where there is one.
var convenience = map[string]func(as usercopy.Space, a uintptr, n int, buf []byte) int{
	"CopyIn":  func(as usercopy.Space, a uintptr, n int, buf []byte) int { return usercopy.CopyIn(buf[:n], as, a) },
	"CopyOut": func(as usercopy.Space, a uintptr, n int, buf []byte) int { return usercopy.CopyOut(as, a, buf[:n]) },
	"Clear":   func(as usercopy.Space, a uintptr, n int, _ []byte) int { return usercopy.Clear(as, a, n) },
	"CsumCopyIn": func(as usercopy.Space, a uintptr, n int, buf []byte) int {
		d, _ := usercopy.CsumCopyIn(buf[:n], as, a, 0)
		return d
	},
	"CsumCopyOut": func(as usercopy.Space, a uintptr, n int, buf []byte) int {
		d, _ := usercopy.CsumCopyOut(as, a, buf[:n], 0)
		return d
	},
	"ProbeReadable":  func(as usercopy.Space, a uintptr, n int, _ []byte) int { return usercopy.Readable(as, a, n) },
	"ProbeWriteable": func(as usercopy.Space, a uintptr, n int, _ []byte) int { return usercopy.Writeable(as, a, n) },
}

// TestOutsideSpace runs every op at addresses outside [Base, End) and
// across its edges: it moves exactly the bytes inside, stops (with no fault
// address) and never touches the rest. The space is surrounded by
// cshim's guard band, so a touch outside would fault there and crash the
// test instead of being recovered.
func TestOutsideSpace(t *testing.T) {
	f := newFixture(t, 4)
	b, e := f.as.Base(), f.as.End()
	size := int(e - b)
	buf := make([]byte, size+2*ps)
	copy(buf, f.src)
	cases := []struct {
		name string
		addr uintptr
		n    int
		want int
	}{
		{"address 0", 0, 10, 0},
		{"address 1", 1, ps, 0},
		{"just below Base", b - 1, 2, 0},
		{"a page below Base into it", b - uintptr(ps), 2 * ps, 0},
		{"across End", e - 10, 100, 10},
		{"across End, a page more", e - uintptr(ps) - 3, 2 * ps, ps + 3},
		{"at End", e, 1, 0},
		{"past End", e + uintptr(ps), ps, 0},
		{"wrapping around", ^uintptr(0) - 5, 100, 0},
		{"last byte of the address space", ^uintptr(0), 1, 0},
		{"longer than the space", b, size + 2*ps, size},
	}
	for _, c := range cases {
		for _, p := range ops {
			if d, ok, fault := p.run(f.as, c.addr, c.n, buf); d != c.want || ok || fault != 0 {
				t.Errorf("%s %s: moved %d, returned %v, fault address %#x; want %d, false, 0",
					p.name, c.name, d, ok, fault, c.want)
			}
			if conv := convenience[p.name]; conv != nil {
				if d := conv(f.as, c.addr, c.n, buf); d != c.want {
					t.Errorf("usercopy.%s %s: moved %d, want %d", p.name, c.name, d, c.want)
				}
			}
			// What was written is exactly the bytes inside the space.
			if p.writes && c.want > 0 {
				copy(f.user, f.want)
			} else if !bytes.Equal(f.user, f.want) {
				t.Fatalf("%s %s: user memory changed", p.name, c.name)
			}
		}
	}
}

// TestZeroLength runs every op with nothing to move, at addresses good and
// bad: it succeeds and touches nothing.
func TestZeroLength(t *testing.T) {
	f := newFixture(t, 2)
	f.protect(t, 1, 1, cshim.ProtNone)
	for _, a := range []uintptr{0, f.base - 1, f.base, f.page(1), f.as.End(), ^uintptr(0)} {
		for _, p := range ops {
			if d, ok, fault := p.run(f.as, a, 0, nil); d != 0 || !ok || fault != 0 {
				t.Errorf("%s of 0 bytes at %#x: moved %d, returned %v, fault address %#x", p.name, a, d, ok, fault)
			}
			if conv := convenience[p.name]; conv != nil && conv(f.as, a, 0, nil) != 0 {
				t.Errorf("usercopy.%s of 0 bytes at %#x moved bytes", p.name, a)
			}
		}
	}
	if d := usercopy.Clear(f.as, f.base, -5); d != 0 {
		t.Errorf("Clear of -5 bytes moved %d", d)
	}
	if !bytes.Equal(f.user[:ps], f.want[:ps]) {
		t.Errorf("user memory changed")
	}
}

// window is a Space whose bounds are not page-aligned: [lo, hi) inside a
// cshim.Space whose pages are all usable. It counts calls of Pointer outside
// its bounds.
type window struct {
	*cshim.Space
	lo, hi  uintptr
	strayed *atomic.Int32
}

func (w window) Base() uintptr { return w.lo }
func (w window) End() uintptr  { return w.hi }
func (w window) Pointer(a uintptr) unsafe.Pointer {
	if a < w.lo || a >= w.hi {
		w.strayed.Add(1)
	}
	return w.Space.Pointer(a)
}

// TestUnalignedBounds checks that bytes outside [Base, End) stay untouched
// even when they share a page with bytes inside.
func TestUnalignedBounds(t *testing.T) {
	f := newFixture(t, 3)
	w := window{f.as, f.base + 3, f.as.End() - 5, new(atomic.Int32)}
	inside := int(w.hi - w.lo)
	buf := make([]byte, 3*ps)
	copy(buf, f.src)
	for _, c := range []struct {
		addr uintptr
		n    int
		want int
	}{
		{w.lo - 1, 10, 0},
		{w.lo, 3 * ps, inside},
		{w.lo + 1, 3 * ps, inside - 1},
		{w.hi - 7, 20, 7},
		{w.hi - 1, 1, 1},
		{w.hi, 1, 0},
	} {
		for _, p := range ops {
			if d, ok, _ := p.run(w, c.addr, c.n, buf); d != c.want || ok != (c.want == c.n) {
				t.Errorf("%s of %d bytes at Base%+d: moved %d, returned %v; want %d",
					p.name, c.n, int(c.addr-w.lo), d, ok, c.want)
			}
			s := int(c.addr - f.base)
			if !bytes.Equal(f.user[:3], f.want[:3]) || !bytes.Equal(f.user[3*ps-5:], f.want[3*ps-5:]) {
				t.Fatalf("%s of %d bytes at Base%+d touched bytes outside the window", p.name, c.n, int(c.addr-w.lo))
			}
			copy(f.user[max(s, 0):], f.want[max(s, 0):])
		}
	}
	if n := w.strayed.Load(); n != 0 {
		t.Errorf("Pointer was called %d times outside [Base, End)", n)
	}

	// A page holding fewer than 4 bytes of the space: the assembly probes
	// the byte itself; the generic probe has no aligned word inside the
	// space there and stops rather than touch bytes outside it.
	tiny := window{f.as, f.base, f.page(2) + 2, new(atomic.Int32)}
	want := 2
	if !usercopy.ProbeExact {
		want = 0
	}
	if d := usercopy.Writeable(tiny, f.page(2), 2); d != want {
		t.Errorf("Writeable of the last 2 bytes of a space ending mid-page: %d, want %d", d, want)
	}
}
