//go:build linux

package iter

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"unsafe"

	"github.com/iovkit/iovkit/cshim"
	"github.com/iovkit/iovkit/csum"
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

// testSpace returns the shared address space, every page mapped read-write
// (tests that protect a page restore it).
func testSpace(t testing.TB) *cshim.Space {
	spaceOnce.Do(func() {
		s, err := cshim.NewSpace(spacePages * PageSize)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Map(s.Base(), spacePages*PageSize, cshim.ProtRead|cshim.ProtWrite); err != nil {
			t.Fatal(err)
		}
		space = s
	})
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

// badFrom returns the stream offset of the first byte at or after from
// that lies on the bad page, or the total if there is none.
func badFrom(vec []Iovec, bad uintptr, from int) int {
	pos := 0
	for _, v := range vec {
		for i := uint64(0); i < v.Len; i++ {
			if pos+int(i) >= from && (v.Base+uintptr(i))&^(PageSize-1) == bad {
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
		for _, opName := range []string{"copy", "nocache", "csum-copy", "zero", "csum", "fault-in"} {
			if dir == Source && opName == "zero" || dir == Dest && (opName == "csum" || opName == "nocache") {
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
				limit = badFrom(fx.it.iovs(), bad, m.pos)
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
			case opName == "nocache":
				defer func(n int) { nocacheMin = n }(nocacheMin)
				nocacheMin = 1
				n = fx.it.CopyFromNocache(buf)
			case opName == "csum-copy" && dir == Dest:
				n = fx.it.CsumAndCopyTo(buf, &st)
			case opName == "csum-copy":
				n = fx.it.CsumAndCopyFrom(buf, &st)
			case opName == "zero":
				n = fx.it.Zero(len(buf))
			case opName == "csum":
				n = fx.it.Csum(len(buf), &st)
			case opName == "fault-in" || opName == "csum":
				var left int
				if dir == Dest {
					left = fx.it.FaultInWriteable(m.count)
					want = max(0, min(badFrom(fx.it.iovs(), bad, m.pos)-m.pos, m.count))
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
			case opName == "fault-in" || opName == "csum":
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

// putIovecs writes vec into user memory at addr as struct iovec, or as
// struct compat_iovec if compat.
func putIovecs(t *testing.T, addr uintptr, vec []Iovec, compat bool) {
	s := testSpace(t)
	if compat {
		b := s.Bytes(addr, 8*len(vec))
		for i, v := range vec {
			binary.NativeEndian.PutUint32(b[8*i:], uint32(v.Base))
			binary.NativeEndian.PutUint32(b[8*i+4:], uint32(v.Len))
		}
		return
	}
	b := s.Bytes(addr, 16*len(vec))
	for i, v := range vec {
		binary.NativeEndian.PutUint64(b[16*i:], uint64(v.Base))
		binary.NativeEndian.PutUint64(b[16*i+8:], v.Len)
	}
}

// TestImportIovecUser reads iovec arrays from user memory: into scratch
// when it has room, with Linux's errors when the array is bad or cannot be
// read, and touching nothing when the import fails.
func TestImportIovecUser(t *testing.T) {
	s := testSpace(t)
	arr := s.Base() + 10*PageSize - 48 // three iovecs end at a page boundary
	good := []Iovec{{s.Base(), 5}, {s.Base() + 100, 0}, {s.Base() + 200, 7}}
	for _, compat := range []bool{false, true} {
		imp := ImportIovecUser
		size := 16
		if compat {
			imp, size = ImportCompatIovecUser, 8
		}
		at := arr + uintptr(48-3*size)
		putIovecs(t, at, good, compat)
		scratch := make([]Iovec, 0, 8)
		it, err := imp(Dest, s, at, 3, scratch)
		if err != nil || it.Count() != 12 || it.NrSegs() != 3 || &it.iovs()[0] != &scratch[:1][0] {
			t.Fatalf("compat %v: import of a good array: %v, count %d, %d segments, in scratch: %v",
				compat, err, it.Count(), it.NrSegs(), err == nil && &it.iovs()[0] == &scratch[:1][0])
		}
		if it, err = imp(Dest, s, at, 3, nil); err != nil || it.Count() != 12 {
			t.Fatalf("compat %v: import without scratch: %v, %d", compat, err, it.Count())
		}
		if allocs := testing.AllocsPerRun(20, func() { imp(Dest, s, at, 3, scratch) }); allocs != 0 {
			t.Errorf("compat %v: import into scratch allocates %v times", compat, allocs)
		}
		// The array runs onto a PROT_NONE page.
		if err := s.Protect(arr+48, PageSize, cshim.ProtNone); err != nil {
			t.Fatal(err)
		}
		if _, err := imp(Dest, s, at, 4, scratch); !errors.Is(err, syscall.EFAULT) {
			t.Errorf("compat %v: array over a PROT_NONE page: %v, want EFAULT", compat, err)
		}
		bad := append([]Iovec{}, good...)
		bad[1].Len = ^uint64(0) // negative, and so is its 32-bit form
		putIovecs(t, at, bad, compat)
		if _, err := imp(Dest, s, at, 4, scratch); !errors.Is(err, syscall.EINVAL) {
			t.Errorf("compat %v: negative length before the unreadable part: %v, want EINVAL", compat, err)
		}
		if err := s.Protect(arr+48, PageSize, cshim.ProtRead|cshim.ProtWrite); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			n   int
			err error
		}{{0, nil}, {-1, syscall.EINVAL}, {UIOMaxIOV + 1, syscall.EINVAL}} {
			if it, err := imp(Dest, s, at, tc.n, scratch); !errors.Is(err, tc.err) || (err == nil) != (tc.err == nil) || it.Count() != 0 {
				t.Errorf("compat %v: %d segments: %v, want %v", compat, tc.n, err, tc.err)
			}
		}
		if _, err := imp(Dest, s, s.End()-4, 1, scratch); !errors.Is(err, syscall.EFAULT) {
			t.Errorf("compat %v: array past End: %v, want EFAULT", compat, err)
		}
	}
	// A compat length of 2 GiB is negative as a compat_ssize_t.
	putIovecs(t, arr, []Iovec{{s.Base(), 1 << 31}}, true)
	if _, err := ImportCompatIovecUser(Dest, s, arr, 1, nil); !errors.Is(err, syscall.EINVAL) {
		t.Errorf("compat length 2 GiB: %v, want EINVAL", err)
	}
}

// TestUserReadvWritev runs writev and readv over user iovecs with a
// PROT_NONE page in the middle: the iterator advances by exactly what the
// kernel reports, and the file offset agrees. Natively the kernel stops at
// the bad page, as the model does; qemu-user takes each iovec whole, so
// under emulation only the agreement is checked.
func TestUserReadvWritev(t *testing.T) {
	s := testSpace(t)
	lens := []int{100, 3 * PageSize / 2, 50}
	bad := s.Base() + uintptr((1*slotPages+1)*PageSize) // inside the second segment
	for _, dir := range []Dir{Source, Dest} {
		fx := buildIovec(t, dir, lens)
		m := newModel(lens, fx.fill(5))
		limit := badFrom(fx.it.iovs(), bad, 0)
		f := tempFile(t, bytes.Repeat([]byte{0x33}, len(m.data)))
		if err := s.Protect(bad, PageSize, cshim.ProtNone); err != nil {
			t.Fatal(err)
		}
		var n int
		var err error
		if dir == Source {
			n, err = Writev(int(f.Fd()), &fx.it)
		} else {
			n, err = Readv(int(f.Fd()), &fx.it)
		}
		if perr := s.Protect(bad, PageSize, cshim.ProtRead|cshim.ProtWrite); perr != nil {
			t.Fatal(perr)
		}
		if err != nil && !errors.Is(err, syscall.EFAULT) {
			t.Fatalf("%v: %v", dir, err)
		}
		if !emulated() && n != limit {
			t.Fatalf("%v: the kernel moved %d bytes, the model %d", dir, n, limit)
		}
		if offset(t, f) != int64(n) || fx.it.Count() != len(m.data)-n {
			t.Fatalf("%v: moved %d, file offset %d, %d left of %d", dir, n, offset(t, f), fx.it.Count(), len(m.data))
		}
		got, _ := os.ReadFile(f.Name())
		if dir == Source && !bytes.Equal(got[:n], m.data[:n]) {
			t.Fatalf("writev wrote the wrong bytes")
		}
		if dir == Dest {
			copy(m.data, got[:n])
		}
		m.consume(n)
		fx.check(t, m, fmt.Sprintf("%v after a faulting syscall", dir))
	}
}

// TestUserGetPages probes user pages: pointers into the mapping, and
// EFAULT when the first page is bad; a later bad page shortens the result.
func TestUserGetPages(t *testing.T) {
	s := testSpace(t)
	addr := s.Base() + 20*PageSize + 100
	for _, dir := range []Dir{Dest, Source} {
		it, err := ImportSingleRange(dir, s, addr, 3*PageSize)
		if err != nil {
			t.Fatal(err)
		}
		pages := make([]*Page, 8)
		n, start, err := it.GetPages(pages, 1<<20)
		if err != nil || n != 3*PageSize || start != 100 || unsafe.Pointer(pages[0]) != s.Pointer(addr-100) ||
			unsafe.Pointer(pages[3]) != s.Pointer(addr-100+3*PageSize) {
			t.Fatalf("%v: GetPages = %d, %d, %v", dir, n, start, err)
		}
		all, n2, _, err := it.GetPagesAlloc(1 << 20)
		if err != nil || n2 != n || len(all) != 4 {
			t.Fatalf("%v: GetPagesAlloc = %d pages, %d, %v", dir, len(all), n2, err)
		}
		if n, _, _ := it.GetPages(pages[:2], 1<<20); n != 2*PageSize-100 {
			t.Fatalf("%v: GetPages into 2 pages = %d", dir, n)
		}
		// A read-only third page stops a Dest, not a Source.
		if err := s.Protect(addr-100+2*PageSize, PageSize, cshim.ProtRead); err != nil {
			t.Fatal(err)
		}
		n, _, err = it.GetPages(pages, 1<<20)
		if want := map[Dir]int{Dest: 2*PageSize - 100, Source: 3 * PageSize}[dir]; n != want || err != nil {
			t.Fatalf("%v: GetPages over a read-only page = %d, %v; want %d", dir, n, err, want)
		}
		if err := s.Protect(addr-100, PageSize, cshim.ProtNone); err != nil {
			t.Fatal(err)
		}
		if _, _, err := it.GetPages(pages, 1<<20); !errors.Is(err, syscall.EFAULT) {
			t.Fatalf("%v: GetPages of a PROT_NONE first page: %v", dir, err)
		}
		if err := s.Protect(addr-100, 3*PageSize, cshim.ProtRead|cshim.ProtWrite); err != nil {
			t.Fatal(err)
		}
	}
}

// TestZeroAllocs holds copies, zeroing, advancing, reverting and imports of
// up to 8 segments to no allocation, and GetPages into a caller's slice.
func TestZeroAllocs(t *testing.T) {
	s := testSpace(t)
	vec := make([]Iovec, 8)
	for i := range vec {
		vec[i] = Iovec{s.Base() + uintptr(i*1000), 100}
	}
	buf := make([]byte, 800)
	pages := make([]*Page, 2)
	segs := kvecOf(8, 100)
	var st csum.State
	for name, f := range map[string]func(){
		"import":         func() { ImportIovec(Dest, s, vec) },
		"import single":  func() { ImportSingleRange(Dest, s, s.Base(), 100) },
		"user CopyTo":    func() { it, _ := ImportIovec(Dest, s, vec); it.CopyTo(buf) },
		"user CopyFrom":  func() { it, _ := ImportIovec(Source, s, vec); it.CopyFrom(buf) },
		"user one piece": func() { it, _ := ImportSingleRange(Dest, s, s.Base(), 100); it.CopyTo(buf) },
		"user GetPages":  func() { it, _ := ImportIovec(Dest, s, vec); it.GetPages(pages, 100) },
		"user Zero":      func() { it, _ := ImportIovec(Dest, s, vec); it.Zero(800) },
		"user csum copy": func() { it, _ := ImportIovec(Source, s, vec); it.CsumAndCopyFrom(buf, &st) },
		"kvec CopyTo":    func() { it := NewKvec(Dest, segs); it.CopyTo(buf) },
		"kvec csum copy": func() { it := NewKvec(Dest, segs); it.CsumAndCopyTo(buf, &st) },
		"advance revert": func() { it := NewKvec(Dest, segs); it.Advance(450); it.Revert(300) },
		"fault-in":       func() { it, _ := ImportIovec(Dest, s, vec); it.FaultInWriteable(800) },
	} {
		if allocs := testing.AllocsPerRun(50, f); allocs != 0 {
			t.Errorf("%s allocates %v times", name, allocs)
		}
	}
}

// TestUserIOFaults checks the io methods on user memory with a PROT_NONE
// page in the middle: they move exactly the bytes before it, then report
// an error wrapping EFAULT.
func TestUserIOFaults(t *testing.T) {
	s := testSpace(t)
	lens := []int{100, 3 * PageSize / 2, 50}
	bad := s.Base() + uintptr((1*slotPages+1)*PageSize)
	fx := buildIovec(t, Source, lens)
	data := fx.fill(7)
	limit := badFrom(fx.it.iovs(), bad, 0)
	protect := func(p cshim.Prot) {
		t.Helper()
		if err := s.Protect(bad, PageSize, p); err != nil {
			t.Fatal(err)
		}
	}
	defer protect(cshim.ProtRead | cshim.ProtWrite)
	protect(cshim.ProtNone)

	r := fx.it
	got, err := io.ReadAll(&r)
	if !errors.Is(err, syscall.EFAULT) || !bytes.Equal(got, data[:limit]) || r.Count() != len(data)-limit {
		t.Fatalf("ReadAll: %d bytes, %v, %d left; want %d bytes and EFAULT", len(got), err, r.Count(), limit)
	}
	w := fx.it
	var out bytes.Buffer
	n, err := w.WriteTo(&out)
	if !errors.Is(err, syscall.EFAULT) || n != int64(limit) || !bytes.Equal(out.Bytes(), data[:limit]) || w.Count() != len(data)-limit {
		t.Fatalf("WriteTo: %d, %v, %d left; want %d and EFAULT", n, err, w.Count(), limit)
	}

	protect(cshim.ProtRead | cshim.ProtWrite) // building fills the space
	d := buildIovec(t, Dest, lens)
	protect(cshim.ProtRead)
	in := bytes.NewReader(make([]byte, len(data)))
	n, err = d.it.ReadFrom(in)
	if !errors.Is(err, syscall.EFAULT) || n != int64(limit) || d.it.Count() != len(data)-limit {
		t.Fatalf("ReadFrom: %d, %v, %d left; want %d and EFAULT", n, err, d.it.Count(), limit)
	}
	if in.Len() != len(data)-limit {
		t.Fatalf("ReadFrom stored %d bytes but took %d from the reader", n, len(data)-in.Len())
	}
	if m, err := d.it.Write([]byte{1}); m != 0 || !errors.Is(err, syscall.EFAULT) {
		t.Fatalf("Write at the read-only page: %d, %v", m, err)
	}
}

// inner is a space inside a cshim.Space whose Base and End fall inside
// pages.
type inner struct {
	*cshim.Space
	base, end uintptr
}

func (s inner) Base() uintptr { return s.base }
func (s inner) End() uintptr  { return s.end }

// TestGetPagesWholePages hands out only pages that lie wholly inside the
// space: a first page that starts below Base or ends past End is EFAULT,
// and a later page that ends past End is left out.
func TestGetPagesWholePages(t *testing.T) {
	s := testSpace(t)
	b := s.Base() + 40*PageSize
	as := inner{s, b + 100, b + 3*PageSize + 100}
	pages := make([]*Page, 8)
	for _, tc := range []struct {
		addr     uintptr
		size     int
		n, start int // n 0: EFAULT
	}{
		{b + PageSize + 10, 2*PageSize + 90, 2*PageSize - 10, 10}, // the page of End left out
		{b + 2*PageSize, PageSize + 100, PageSize, 0},
		{b + 3*PageSize + 10, 50, 0, 0}, // only the page of End
		{b + 100, 500, 0, 0},            // the page of Base
		{b + 3*PageSize - 1, 101, 1, PageSize - 1},
	} {
		for _, dir := range []Dir{Dest, Source} {
			it, err := ImportSingleRange(dir, as, tc.addr, uint64(tc.size))
			if err != nil {
				t.Fatal(err)
			}
			n, start, err := it.GetPages(pages, tc.size)
			if tc.n == 0 {
				if !errors.Is(err, syscall.EFAULT) || n != 0 {
					t.Errorf("%v at %#x: GetPages = %d, %v; want EFAULT", dir, tc.addr-b, n, err)
				}
				continue
			}
			if err != nil || n != tc.n || start != tc.start || unsafe.Pointer(pages[0]) != s.Pointer(tc.addr-uintptr(start)) {
				t.Errorf("%v at %#x: GetPages = %d, %d, %v; want %d, %d", dir, tc.addr-b, n, start, err, tc.n, tc.start)
			}
			all, n2, _, err := it.GetPagesAlloc(tc.size)
			if err != nil || n2 != tc.n || len(all) != (tc.start+tc.n+PageSize-1)/PageSize {
				t.Errorf("%v at %#x: GetPagesAlloc = %d pages, %d, %v", dir, tc.addr-b, len(all), n2, err)
			}
		}
	}
}
