//go:build linux

package iter

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"unsafe"

	"github.com/iovkit/iovkit/csum"
	"github.com/iovkit/iovkit/cshim"
)

// The user-memory fixtures share one address space: slot i of a layout
// starts slotPages pages into the space after slot i-1, and each segment
// sits at an offset that makes it cross a page boundary, start one, or end
// one.
const (
	slotPages  = 3
	spacePages = 64
)

var (
	spaceOnce sync.Once
	space     *cshim.Space
)

// testSpace returns the shared address space, every page mapped read-write.
func testSpace(t testing.TB) *cshim.Space {
	spaceOnce.Do(func() {
		s, err := cshim.NewSpace(spacePages * PageSize)
		if err != nil {
			t.Fatal(err)
		}
		space = s
	})
	if err := space.Map(space.Base(), spacePages*PageSize, cshim.ProtRead|cshim.ProtWrite); err != nil {
		t.Fatal(err)
	}
	return space
}

func init() {
	builders[KindIovec] = buildIovec
	builders[KindUbuf] = buildUbuf
}

// userLayout places the segments of lens in the shared space, fills the
// space with canary bytes and returns their iovecs and a fixture without
// an iterator.
func userLayout(t testing.TB, lens []int) (*fixture, []Iovec) {
	s := testSpace(t)
	all := s.Bytes(s.Base(), spacePages*PageSize)
	for i := range all {
		all[i] = canaryByte
	}
	f := &fixture{}
	vec := make([]Iovec, len(lens))
	prev := s.Base()
	for i, l := range lens {
		slot := s.Base() + uintptr(i*slotPages*PageSize)
		var off uintptr
		switch i % 3 {
		case 0:
			off = uintptr(PageSize - l/2) // across a page boundary
		case 1:
			off = PageSize // at a page's start
		case 2:
			off = uintptr(2*PageSize - l) // up to a page's end
		}
		addr := slot + off
		vec[i] = Iovec{Base: addr, Len: uint64(l)}
		f.views = append(f.views, s.Bytes(addr, l))
		f.around = append(f.around, s.Bytes(prev, int(addr-prev)))
		prev = addr + uintptr(l)
	}
	f.around = append(f.around, s.Bytes(prev, int(s.Base()+spacePages*PageSize-prev)))
	return f, vec
}

func buildIovec(t testing.TB, dir Dir, lens []int) *fixture {
	if len(lens)*slotPages > spacePages {
		t.Fatalf("layout of %d segments does not fit the test space", len(lens))
	}
	f, vec := userLayout(t, lens)
	it, err := ImportIovec(dir, testSpace(t), vec)
	if err != nil {
		t.Fatal(err)
	}
	f.it, f.name = it, "iovec"
	return f
}

// buildUbuf makes a KindUbuf fixture of a layout of one segment; it returns
// nil for the others.
func buildUbuf(t testing.TB, dir Dir, lens []int) *fixture {
	if len(lens) != 1 {
		return nil
	}
	f, vec := userLayout(t, lens)
	it, err := ImportSingleRange(dir, testSpace(t), vec[0].Base, vec[0].Len)
	if err != nil {
		t.Fatal(err)
	}
	f.it, f.name = it, "ubuf"
	return f
}

// emulated reports whether the test runs under qemu-user, where the kernel
// behind readv and writev is qemu's, which takes each iovec whole.
func emulated() bool {
	info, err := os.ReadFile("/proc/cpuinfo")
	return err == nil && runtime.GOARCH != "amd64" && bytes.Contains(info, []byte(" sse2"))
}

// faultCase is a user iterator over three segments with one page made
// inaccessible (or read-only).
type faultCase struct {
	lens []int
	seg  int // the segment with the bad page
	page int // which page of its slot: 0, 1 or 2
	prot cshim.Prot
}

// badFrom returns the stream offset of the first byte on a bad page, or
// the total if there is none.
func badFrom(vec []Iovec, bad uintptr) int {
	pos := 0
	for _, v := range vec {
		for i := uint64(0); i < v.Len; i++ {
			if (v.Base+uintptr(i))&^(PageSize-1) == bad {
				return pos + int(i)
			}
		}
		pos += int(v.Len)
	}
	return pos
}

// TestUserFaults puts a PROT_NONE or read-only page under every page of a
// multi-segment user iterator and runs every operation: each moves exactly
// the bytes before the first page it cannot access, reports that count,
// advances by it, changes no byte past it, and sums exactly what it moved.
func TestUserFaults(t *testing.T) {
	layouts := [][]int{{100, 3 * PageSize / 2, 50}, {PageSize, 0, 2 * PageSize, 1}, {1, 1, PageSize + 1}}
	for _, lens := range layouts {
		for seg := range lens {
			for page := 0; page < slotPages; page++ {
				for _, prot := range []cshim.Prot{cshim.ProtNone, cshim.ProtRead} {
					testUserFault(t, faultCase{lens, seg, page, prot})
				}
			}
		}
	}
}

func testUserFault(t *testing.T, fc faultCase) {
	s := testSpace(t)
	bad := s.Base() + uintptr((fc.seg*slotPages+fc.page)*PageSize)
	for _, dir := range []Dir{Dest, Source} {
		for _, opName := range []string{"copy", "csum-copy", "zero", "csum", "fault-in"} {
			if dir == Source && opName == "zero" || dir == Dest && opName == "csum" {
				continue
			}
			fx := buildIovec(t, dir, fc.lens)
			m := newModel(fc.lens, fx.fill(3))
			fx.it.Advance(1)
			m.advance(1)
			if err := s.Protect(bad, PageSize, fc.prot); err != nil {
				t.Fatal(err)
			}
			// A read-only page stops only what writes to user memory.
			writes := dir == Dest && opName != "fault-in"
			limit := len(m.data)
			if fc.prot == cshim.ProtNone || writes {
				limit = badFrom(fx.it.iov, bad)
			}
			want := max(0, min(limit-m.pos, m.count))
			name := fmt.Sprintf("%v %s %v bad page %d of segment %d (%v)", dir, opName, fc.lens, fc.page, fc.seg, fc.prot)
			buf := bytes.Repeat([]byte{0x77}, m.count+3)
			var st csum.State
			var n int
			switch {
			case opName == "copy" && dir == Dest:
				n = fx.it.CopyTo(buf)
			case opName == "copy":
				n = fx.it.CopyFrom(buf)
			case opName == "csum-copy" && dir == Dest:
				n = fx.it.CsumAndCopyTo(buf, &st)
			case opName == "csum-copy":
				n = fx.it.CsumAndCopyFrom(buf, &st)
			case opName == "zero":
				n = fx.it.Zero(len(buf))
			case opName == "csum":
				n = fx.it.Csum(len(buf), &st)
			case opName == "fault-in":
				var left int
				if dir == Dest {
					left = fx.it.FaultInWriteable(m.count)
					want = max(0, min(badFrom(fx.it.iov, bad)-m.pos, m.count))
				} else {
					left = fx.it.FaultInReadable(m.count)
				}
				n = m.count - left
			}
			if err := s.Protect(bad, PageSize, cshim.ProtRead|cshim.ProtWrite); err != nil {
				t.Fatal(err)
			}
			if n != want {
				t.Fatalf("%s: moved %d, want %d", name, n, want)
			}
			moved := m.data[m.pos : m.pos+n]
			switch {
			case opName == "fault-in":
			case dir == Dest && opName == "zero":
				clear(moved)
			case dir == Dest:
				copy(moved, buf)
			case !bytes.Equal(buf[:n], moved) || bytes.Count(buf[n:], []byte{0x77}) != len(buf)-n:
				t.Fatalf("%s: the destination does not hold exactly the bytes moved", name)
			}
			if (opName == "csum-copy" || opName == "csum") && (st.Off != int64(n) || st.Fold() != csum.Checksum(moved)) {
				t.Fatalf("%s: checksum state %+v, want the sum of the %d bytes moved", name, st, n)
			}
			if opName != "fault-in" {
				m.consume(n)
			}
			fx.check(t, m, name)
		}
	}
}

// TestUserOutOfRange never lets an iovec reach memory outside the address
// space, here Go memory: a segment above End fails to import (EFAULT); one
// below Base imports, but copies and readv stop there.
func TestUserOutOfRange(t *testing.T) {
	s := testSpace(t)
	copy(s.Bytes(s.Base(), 8), "inside!!")
	outside := make([]byte, 8) // Go memory
	goAddr := uintptr(unsafe.Pointer(&outside[0]))
	vec := []Iovec{{Base: s.Base(), Len: 8}, {Base: goAddr, Len: 8}}
	it, err := ImportIovec(Source, s, vec)
	if goAddr >= s.End() {
		if !errors.Is(err, syscall.EFAULT) {
			t.Fatalf("import of a segment above End: %v", err)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	dst := make([]byte, 16)
	if n := it.CopyFrom(dst); n != 8 || string(dst[:8]) != "inside!!" || it.Count() != 8 {
		t.Fatalf("CopyFrom across a segment in Go memory = %d, %q, %d left", n, dst, it.Count())
	}
	d, _ := ImportIovec(Dest, s, vec)
	d.Advance(8)
	if n := d.CopyTo([]byte("12345678")); n != 0 || !bytes.Equal(outside, make([]byte, 8)) {
		t.Fatalf("CopyTo a segment in Go memory = %d; Go memory now %q", n, outside)
	}
	if _, err := Readv(0, &d); !errors.Is(err, syscall.EFAULT) {
		t.Fatalf("Readv into a segment outside the space: %v", err)
	}
}
