//go:build linux

package iter

import (
	"bytes"
	"errors"
	"os"
	"syscall"
	"testing"
	"unsafe"

	"github.com/iovkit/iovkit/cshim"
	"github.com/iovkit/iovkit/csum"
)

// victim is Go memory that no user address may reach. It is a global, so
// that it sits at a low address: with the pointer to Base taken as nil, user
// address Base+&victim would be &victim.
var victim = [8]byte{'v', 'i', 'c', 't', 'i', 'm', '!', '!'}

// victimSpace returns a space large enough that the user address at
// Base+&victim lies inside it, the two pages from that address's page
// mapped, and that address.
func victimSpace(t testing.TB) (*cshim.Space, uintptr) {
	t.Helper()
	g := uintptr(unsafe.Pointer(&victim))
	if g > 1<<30 {
		// A position-independent binary: no Go global is near address 0,
		// so nothing can be reached from a nil base.
		t.Skipf("the global is at %#x, beyond any space's reach from a nil base", g)
	}
	ps := uintptr(os.Getpagesize())
	s, err := cshim.NewSpace(int(g + 2*ps))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	addr := s.Base() + g
	if err := s.Map(addr&^(ps-1), int(2*ps), cshim.ProtRead|cshim.ProtWrite); err != nil {
		t.Fatal(err)
	}
	copy(s.Bytes(addr, len(victim)), "userdata")
	return s, addr
}

// TestClosedSpace closes a space under iterators imported from it: every
// address then behaves as unmapped. Copies move nothing (in particular not
// to or from the Go global that a pointer computed from the closed space's
// nil base would reach), probes find nothing, the readv family fails with
// EFAULT without the kernel touching anything, and new imports of non-empty
// ranges fail with EFAULT.
func TestClosedSpace(t *testing.T) {
	s, addr := victimSpace(t)
	want := victim
	imp := func(dir Dir) Iter {
		it, err := ImportIovec(dir, s, []Iovec{{addr, 0}, {addr, uint64(len(victim))}})
		if err != nil {
			t.Fatal(err)
		}
		return it
	}
	dst, src := imp(Dest), imp(Source)
	ubuf, err := ImportSingleRange(Dest, s, addr, uint64(len(victim)))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	pwned := []byte("PWNED!!!")
	buf := make([]byte, len(victim))
	var st csum.State
	for name, n := range map[string]int{
		"CopyTo":            ptr(dst).CopyTo(pwned),
		"CopyTo (ubuf)":     ptr(ubuf).CopyTo(pwned),
		"Zero":              ptr(dst).Zero(len(victim)),
		"CsumAndCopyTo":     ptr(dst).CsumAndCopyTo(pwned, &st),
		"CopyFrom":          ptr(src).CopyFrom(buf),
		"CopyFromNocache":   ptr(src).CopyFromNocache(buf),
		"CsumAndCopyFrom":   ptr(src).CsumAndCopyFrom(buf, &st),
		"Csum":              ptr(src).Csum(len(victim), &st),
		"Peek":              src.Peek(buf),
		"readable bytes":    len(victim) - src.FaultInReadable(len(victim)),
		"writeable bytes":   len(victim) - dst.FaultInWriteable(len(victim)),
		"GetPages (Dest)":   getPages(dst),
		"GetPages (Source)": getPages(src),
	} {
		if n != 0 {
			t.Errorf("%s after Close moved %d bytes, want 0", name, n)
		}
	}
	f := tempFile(t, pwned)
	for name, r := range map[string]result{
		"Write":    resultOf(ptr(dst).Write(pwned)),
		"Read":     resultOf(ptr(src).Read(buf)),
		"Readv":    resultOf(Readv(int(f.Fd()), ptr(dst))),
		"Writev":   resultOf(Writev(int(f.Fd()), ptr(src))),
		"ReadFrom": result64(ptr(dst).ReadFrom(bytes.NewReader(pwned))),
		"WriteTo":  result64(ptr(src).WriteTo(new(bytes.Buffer))),
	} {
		if r.n != 0 || !errors.Is(r.err, syscall.EFAULT) {
			t.Errorf("%s after Close = %d, %v; want 0 and EFAULT", name, r.n, r.err)
		}
	}
	if victim != want || !bytes.Equal(buf, make([]byte, len(buf))) || st != (csum.State{}) {
		t.Fatalf("after Close: Go memory %q (was %q), %q read from the space, checksum state %+v", victim, want, buf, st)
	}
	if off := offset(t, f); off != 0 {
		t.Fatalf("Readv after Close moved the file offset to %d", off)
	}
	if dst.Count() != len(victim) || src.Count() != len(victim) {
		t.Fatalf("the iterators moved: %d and %d bytes left", dst.Count(), src.Count())
	}

	// Imports of non-empty ranges fail with EFAULT, empty ones succeed.
	for name, err := range map[string]error{
		"ImportIovec":           errOf(ImportIovec(Dest, s, []Iovec{{addr, 0}, {addr, 1}})),
		"ImportSingleRange":     errOf(ImportSingleRange(Source, s, addr, 1)),
		"ImportIovecUser":       errOf(ImportIovecUser(Dest, s, addr, 1, nil)),
		"ImportCompatIovecUser": errOf(ImportCompatIovecUser(Dest, s, addr, 1, nil)),
	} {
		if !errors.Is(err, syscall.EFAULT) {
			t.Errorf("%s after Close: %v, want EFAULT", name, err)
		}
	}
	for name, err := range map[string]error{
		"ImportIovec":       errOf(ImportIovec(Dest, s, []Iovec{{addr, 0}})),
		"ImportSingleRange": errOf(ImportSingleRange(Source, s, addr, 0)),
		"ImportIovecUser":   errOf(ImportIovecUser(Dest, s, addr, 0, nil)),
	} {
		if err != nil {
			t.Errorf("empty %s after Close: %v, want success", name, err)
		}
	}
}

// getPages returns the bytes GetPages reports for the iterator's next bytes,
// or 0 if it fails.
func getPages(it Iter) int {
	var pages [2]*Page
	n, _, err := it.GetPages(pages[:], it.Count())
	if err != nil {
		return 0
	}
	return n
}

// result is what an io method or a system call returned.
type result struct {
	n   int
	err error
}

func resultOf(n int, err error) result   { return result{n, err} }
func result64(n int64, err error) result { return result{int(n), err} }
func errOf(_ Iter, err error) error      { return err }
func ptr(it Iter) *Iter                  { return &it }
