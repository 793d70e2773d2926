//go:build linux

package cshim_test

import (
	"errors"
	"os"
	"strings"
	"syscall"
	"testing"
	"unsafe"

	"github.com/iovkit/iovkit/cshim"
	"github.com/iovkit/iovkit/internal/guardtest"
	"github.com/iovkit/iovkit/internal/usercopy"
	"golang.org/x/sys/unix"
)

var ps = os.Getpagesize()

func newSpace(t *testing.T, pages int) *cshim.Space {
	t.Helper()
	s, err := cshim.NewSpace(pages * ps)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// page returns the address of page i of s.
func page(s *cshim.Space, i int) uintptr { return s.Base() + uintptr(i*ps) }

func TestProtValues(t *testing.T) {
	if cshim.ProtRead != unix.PROT_READ || cshim.ProtWrite != unix.PROT_WRITE || cshim.ProtNone != unix.PROT_NONE {
		t.Fatalf("Prot values %d %d %d differ from Linux's", cshim.ProtNone, cshim.ProtRead, cshim.ProtWrite)
	}
	for p, want := range map[cshim.Prot]string{
		cshim.ProtNone: "ProtNone", cshim.ProtRead | cshim.ProtWrite: "ProtRead|ProtWrite", 8: "Prot(0x8)",
	} {
		if got := p.String(); got != want {
			t.Errorf("Prot(%d).String() = %q, want %q", int(p), got, want)
		}
	}
}

func TestNewSpace(t *testing.T) {
	s := newSpace(t, 3)
	if s.Base() < 64<<10 || s.Base()%uintptr(ps) != 0 {
		t.Errorf("Base() = %#x: below 64 KiB or not page-aligned", s.Base())
	}
	if got := s.End() - s.Base(); got != uintptr(3*ps) {
		t.Errorf("End()-Base() = %d, want %d", got, 3*ps)
	}
	r, err := cshim.NewSpace(ps + 1)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if got := r.End() - r.Base(); got != uintptr(2*ps) {
		t.Errorf("NewSpace(ps+1): End()-Base() = %d, want %d (rounded up to pages)", got, 2*ps)
	}
	// Every page starts inaccessible.
	if n := usercopy.Readable(s, s.Base(), 3*ps); n != 0 {
		t.Errorf("a new space has %d readable bytes", n)
	}
	for _, size := range []int{0, -1, -ps} {
		if _, err := cshim.NewSpace(size); !errors.Is(err, syscall.EINVAL) {
			t.Errorf("NewSpace(%d) = %v, want EINVAL", size, err)
		}
	}
	for _, size := range []int{int(^uint(0) >> 1), int(^uint(0)>>1) - 2*ps} {
		if sp, err := cshim.NewSpace(size); err == nil {
			sp.Close()
			t.Errorf("NewSpace(%#x) succeeded", size)
		} else if !errors.Is(err, syscall.ENOMEM) {
			t.Errorf("NewSpace(%#x) = %v, want ENOMEM", size, err)
		}
	}
}

func TestArgumentErrors(t *testing.T) {
	s := newSpace(t, 4)
	b, e := s.Base(), s.End()
	rw := cshim.ProtRead | cshim.ProtWrite
	cases := []struct {
		name string
		addr uintptr
		n    int
		prot cshim.Prot
		want error
	}{
		{"unaligned address", b + 1, ps, rw, syscall.EINVAL},
		{"unaligned length", b, ps + 1, rw, syscall.EINVAL},
		{"zero length", b, 0, rw, syscall.EINVAL},
		{"negative length", b, -ps, rw, syscall.EINVAL},
		{"bad prot", b, ps, 4, syscall.EINVAL},
		{"negative prot", b, ps, -1, syscall.EINVAL},
		{"below Base", b - uintptr(ps), ps, rw, syscall.ENOMEM},
		{"straddles Base", b - uintptr(ps), 2 * ps, rw, syscall.ENOMEM},
		{"at End", e, ps, rw, syscall.ENOMEM},
		{"straddles End", e - uintptr(ps), 2 * ps, rw, syscall.ENOMEM},
		{"past End", e + uintptr(ps), ps, rw, syscall.ENOMEM},
		{"address 0", 0, ps, rw, syscall.ENOMEM},
		{"wraps around", ^uintptr(0) &^ uintptr(ps-1), 2 * ps, rw, syscall.ENOMEM},
		{"longer than the space", b, 5 * ps, rw, syscall.ENOMEM},
	}
	for _, c := range cases {
		for _, op := range []struct {
			name string
			f    func() error
		}{
			{"Map", func() error { return s.Map(c.addr, c.n, c.prot) }},
			{"Protect", func() error { return s.Protect(c.addr, c.n, c.prot) }},
			{"Unmap", func() error { return s.Unmap(c.addr, c.n) }},
		} {
			if op.name == "Unmap" && c.prot != rw {
				continue // Unmap takes no protection
			}
			err := op.f()
			if !errors.Is(err, c.want) {
				t.Errorf("%s, %s: error %v, want %v", op.name, c.name, err, c.want)
			} else if !strings.HasPrefix(err.Error(), "cshim: "+op.name) {
				t.Errorf("%s, %s: error %q does not name the call", op.name, c.name, err)
			}
		}
	}
	// Nothing above changed a page.
	if n := usercopy.Readable(s, b, int(e-b)); n != 0 {
		t.Errorf("failed calls left %d bytes readable", n)
	}
}

func TestClosed(t *testing.T) {
	s, err := cshim.NewSpace(2 * ps)
	if err != nil {
		t.Fatal(err)
	}
	b, e := s.Base(), s.End()
	if err := s.Map(b, ps, cshim.ProtRead); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for name, err := range map[string]error{
		"Map":     s.Map(b, ps, cshim.ProtRead),
		"Protect": s.Protect(b, ps, cshim.ProtRead),
		"Unmap":   s.Unmap(b, ps),
		"Close":   s.Close(),
	} {
		if !errors.Is(err, cshim.ErrClosed) {
			t.Errorf("%s after Close: %v, want ErrClosed", name, err)
		}
	}
	if s.Base() != b || s.End() != e {
		t.Errorf("Base and End changed by Close")
	}
	if p := s.Pointer(b); p != nil {
		t.Errorf("Pointer after Close = %p, want nil", p)
	}
	mustPanic(t, "Bytes after Close", func() { s.Bytes(b, 1) })
}

func mustPanic(t *testing.T, what string, f func()) {
	t.Helper()
	defer func() {
		if r := recover(); r == nil {
			t.Errorf("%s did not panic", what)
		} else if !strings.Contains(r.(string), "cshim: Bytes") {
			t.Errorf("%s panicked with %q", what, r)
		}
	}()
	f()
}

func TestBytesAndPointer(t *testing.T) {
	s := newSpace(t, 2)
	b, e := s.Base(), s.End()
	if p := s.Pointer(b); p != unsafe.Pointer(unsafe.SliceData(s.Bytes(b, 1))) {
		t.Errorf("Pointer(Base) = %p, Bytes(Base, 1) at %p", p, unsafe.SliceData(s.Bytes(b, 1)))
	}
	if unsafe.Add(s.Pointer(b), 100) != s.Pointer(b+100) {
		t.Errorf("Pointer is not linear")
	}
	for _, a := range []uintptr{0, b - 1, e, e + 1, ^uintptr(0)} {
		if p := s.Pointer(a); p != nil {
			t.Errorf("Pointer(%#x) = %p outside [%#x, %#x)", a, p, b, e)
		}
	}
	if v := s.Bytes(e, 0); len(v) != 0 {
		t.Errorf("Bytes(End, 0) has length %d", len(v))
	}
	if v := s.Bytes(b, 2*ps); len(v) != 2*ps || cap(v) != 2*ps {
		t.Errorf("Bytes(Base, whole) has length %d, capacity %d", len(v), cap(v))
	}
	mustPanic(t, "Bytes below Base", func() { s.Bytes(b-1, 1) })
	mustPanic(t, "Bytes past End", func() { s.Bytes(e-1, 2) })
	mustPanic(t, "Bytes at End", func() { s.Bytes(e, 1) })
	mustPanic(t, "Bytes wrapping", func() { s.Bytes(^uintptr(0), 2) })
	mustPanic(t, "Bytes of negative length", func() { s.Bytes(b, -1) })
}

// TestMapProtectUnmap checks each call's effect through Bytes and through
// usercopy, which sees exactly what a fault would.
func TestMapProtectUnmap(t *testing.T) {
	s := newSpace(t, 4)
	rw := cshim.ProtRead | cshim.ProtWrite
	p0, p1, p2 := page(s, 0), page(s, 1), page(s, 2)
	if err := s.Map(p0, 3*ps, rw); err != nil {
		t.Fatal(err)
	}
	if n := usercopy.Writeable(s, p0, 4*ps); n != 3*ps {
		t.Fatalf("after Map of 3 pages: %d writable bytes", n)
	}
	v := s.Bytes(p0, 3*ps)
	for i := range v {
		if v[i] != 0 {
			t.Fatalf("a new page holds %#x at %d", v[i], i)
		}
		v[i] = byte(i%251 + 1)
	}

	// Read-only: readable, not writable, contents kept.
	if err := s.Protect(p1, ps, cshim.ProtRead); err != nil {
		t.Fatal(err)
	}
	if n := usercopy.Readable(s, p0, 3*ps); n != 3*ps {
		t.Errorf("read-only middle page: %d readable bytes, want %d", n, 3*ps)
	}
	if n := usercopy.Writeable(s, p0, 3*ps); n != ps {
		t.Errorf("read-only middle page: %d writable bytes, want %d", n, ps)
	}
	if n := usercopy.CopyOut(s, p0+10, make([]byte, 2*ps)); n != ps-10 {
		t.Errorf("CopyOut over a read-only page: %d bytes, want %d", n, ps-10)
	}
	if v[ps] != byte(ps%251+1) {
		t.Errorf("read-only page changed")
	}

	// PROT_NONE: neither, but the contents come back with access.
	if err := s.Protect(p1, ps, cshim.ProtNone); err != nil {
		t.Fatal(err)
	}
	if n := usercopy.Readable(s, p0, 3*ps); n != ps {
		t.Errorf("PROT_NONE middle page: %d readable bytes, want %d", n, ps)
	}
	if !guardtest.Faults(func() { sink = s.Bytes(p1, ps)[7] }) {
		t.Errorf("reading a PROT_NONE page through Bytes did not fault")
	}
	if err := s.Protect(p1, ps, rw); err != nil {
		t.Fatal(err)
	}
	if got, want := v[ps+7], byte((ps+7)%251+1); got != want {
		t.Errorf("Protect lost the contents: %#x, want %#x", got, want)
	}

	// Unmap drops the contents; Protect after it finds zeros.
	if err := s.Unmap(p1, ps); err != nil {
		t.Fatal(err)
	}
	if n := usercopy.Readable(s, p0, 3*ps); n != ps {
		t.Errorf("after Unmap of the middle page: %d readable bytes, want %d", n, ps)
	}
	if err := s.Protect(p1, ps, rw); err != nil {
		t.Fatal(err)
	}
	if i := nonZero(s.Bytes(p1, ps)); i >= 0 {
		t.Errorf("Unmap kept the contents: byte %d is %#x", i, v[ps+i])
	}

	// Map over a used page gives a new one; its neighbours keep theirs.
	if err := s.Map(p2, ps, cshim.ProtRead); err != nil {
		t.Fatal(err)
	}
	if i := nonZero(s.Bytes(p2, ps)); i >= 0 {
		t.Errorf("Map kept the old contents: byte %d", i)
	}
	if n := usercopy.Writeable(s, p2, ps); n != 0 {
		t.Errorf("Map(ProtRead) page is writable")
	}
	if v[0] != 1 {
		t.Errorf("page 0 changed")
	}
	// The last page was never mapped.
	if n := usercopy.Readable(s, page(s, 3), ps); n != 0 {
		t.Errorf("the unmapped last page is readable")
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

// sink keeps loads that tests make to provoke a fault.
var sink byte

// TestGuardBand checks that the bytes just outside [Base, End) are never
// accessible, so that code straying outside the space faults.
func TestGuardBand(t *testing.T) {
	s := newSpace(t, 1)
	if err := s.Map(s.Base(), ps, cshim.ProtRead|cshim.ProtWrite); err != nil {
		t.Fatal(err)
	}
	v := s.Bytes(s.Base(), ps)
	below := unsafe.Add(unsafe.Pointer(unsafe.SliceData(v)), -1)
	above := unsafe.Add(unsafe.Pointer(unsafe.SliceData(v)), ps)
	if !guardtest.Faults(func() { sink = *(*byte)(below) }) || !guardtest.Faults(func() { sink = *(*byte)(above) }) {
		t.Errorf("the bytes next to the space are accessible")
	}
}
