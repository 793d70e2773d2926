//go:build linux

package iter

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"syscall"
	"testing"

	"github.com/iovkit/iovkit/cshim"
	"github.com/iovkit/iovkit/csum"
)

// wantPanic runs f and fails the test unless it panics with a message of
// this package that contains want.
func wantPanic(t *testing.T, what, want string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if msg, ok := r.(string); !ok || !strings.HasPrefix(msg, "iter: ") || !strings.Contains(msg, want) {
			t.Errorf("%s: panicked with %#v, want a panic saying %q", what, r, want)
		}
	}()
	f()
}

// TestReexpandPastTheRange is the case of a single range whose count is
// reexpanded past its end: the copy that follows must not write past the
// range, so Reexpand panics and the space keeps every byte.
func TestReexpandPastTheRange(t *testing.T) {
	s := testSpace(t)
	all := s.Bytes(s.Base(), spacePages*PageSize)
	for i := range all {
		all[i] = canaryByte
	}
	b := s.Base() + PageSize
	it, err := ImportSingleRange(Dest, s, b+100, 10)
	if err != nil {
		t.Fatal(err)
	}
	wantPanic(t, "Reexpand(200) of 10 bytes", "Reexpand(200)", func() { it.Reexpand(200) })
	n := it.CopyTo(bytes.Repeat([]byte{1}, 200))
	want := bytes.Repeat([]byte{canaryByte}, len(all))
	copy(want[PageSize+100:], bytes.Repeat([]byte{1}, 10))
	if n != 10 || !bytes.Equal(all, want) {
		t.Fatalf("CopyTo of 200 bytes into 10 = %d; %d bytes of the space changed", n, changed(all, want))
	}
}

func changed(a, b []byte) int {
	n := 0
	for i := range a {
		if a[i] != b[i] {
			n++
		}
	}
	return n
}

// TestReexpandEveryKind reexpands every kind up to what its segments hold
// from the position, which works, and one byte more, which panics.
func TestReexpandEveryKind(t *testing.T) {
	eachCase(t, Source, func(t *testing.T, fx *fixture, m *model, size int) {
		left := len(m.data) - m.pos
		fx.it.Truncate(size)
		fx.it.Reexpand(left)
		m.count = left
		fx.check(t, m, "after Reexpand to the end")
		wantPanic(t, fx.name, "hold only", func() { fx.it.Reexpand(left + 1) })
		fx.check(t, m, "after a Reexpand too far")
		buf := make([]byte, left+10)
		if n := fx.it.CopyFrom(buf); n != left || !bytes.Equal(buf[:n], m.data[m.pos:]) {
			t.Fatalf("%s: CopyFrom after Reexpand = %d, want %d", fx.name, n, left)
		}
	})
	var zero Iter
	wantPanic(t, "Reexpand(1) of a zero Iter", "hold only 0 bytes", func() { zero.Reexpand(1) })
	zero.Reexpand(0)
	k := NewKvec(Dest, [][]byte{make([]byte, 3), make([]byte, 4)})
	k.Advance(2)
	wantPanic(t, "Reexpand(6) of a Kvec with 5 bytes left", "hold only 5 bytes", func() { k.Reexpand(6) })
	d := NewDiscard(3)
	d.Reexpand(1 << 40) // no memory: any count
	if d.Count() != 1<<40 {
		t.Fatalf("Reexpand of a discard: count %d", d.Count())
	}
}

// TestRestoreForeignState restores states that no Save of the iterator
// returned: those that are not positions in its segments, or hold more
// bytes than they have from there, panic; the iterator stays as it was.
func TestRestoreForeignState(t *testing.T) {
	long := NewKvec(Source, [][]byte{make([]byte, 5), make([]byte, 5), make([]byte, 5)})
	long.Advance(12)
	short := NewKvec(Source, [][]byte{make([]byte, 5)})
	before := short.Save()
	wantPanic(t, "a state two segments further on", "not a state of this iterator", func() { short.Restore(long.Save()) })
	if short.Save() != before || short.NrSegs() != 1 {
		t.Fatalf("a failed Restore moved the iterator to %+v, %d segments", short.Save(), short.NrSegs())
	}
	for name, st := range map[string]State{
		"offset past the segment": {0, 6, 0},
		"count past the end":      {0, 2, 4},
		"negative count":          {0, 0, -1},
		"negative segment":        {-1, 0, 0},
		"offset at the end":       {1, 1, 0},
	} {
		wantPanic(t, name, "not a state of this iterator", func() { short.Restore(st) })
	}
	short.Restore(State{1, 0, 0}) // the end is a position
	short.Restore(State{0, 5, 0}) // so is the end of a segment
	d := NewDiscard(4)
	wantPanic(t, "a Kvec's state on a discard", "KindDiscard", func() { d.Restore(long.Save()) })
}

// TestRevertDiscard reverts a discard: back to its first byte, and no
// further.
func TestRevertDiscard(t *testing.T) {
	d := NewDiscard(10)
	d.Advance(3)
	d.CopyTo(make([]byte, 4))
	d.Revert(2)
	st := d.Save()
	d.Zero(1)
	d.Revert(1)
	if d.Save() != st {
		t.Fatalf("Revert after Zero: %+v, want %+v", d.Save(), st)
	}
	wantPanic(t, "Revert past the first byte", "only 5 bytes were consumed", func() { d.Revert(6) })
	d.Revert(5)
	if d.Count() != 10 {
		t.Fatalf("Revert to the first byte: count %d, want 10", d.Count())
	}
	wantPanic(t, "Revert of a fresh discard", "only 0 bytes", func() { d.Revert(1) })
}

// TestNilAddressSpace imports user memory with no AddressSpace: every import
// panics with the same message, even one with nothing to check.
func TestNilAddressSpace(t *testing.T) {
	const msg = "importing user memory with a nil AddressSpace"
	for name, f := range map[string]func(){
		"ImportIovec":                  func() { ImportIovec(Dest, nil, []Iovec{{0x10000, 1}}) },
		"ImportIovec of nothing":       func() { ImportIovec(Dest, nil, nil) },
		"ImportIovecUser":              func() { ImportIovecUser(Source, nil, 0x10000, 1, nil) },
		"ImportCompatIovecUser":        func() { ImportCompatIovecUser(Source, nil, 0x10000, 1, nil) },
		"ImportSingleRange":            func() { ImportSingleRange(Dest, nil, 0x10000, 1) },
		"ImportSingleRange of 0 bytes": func() { ImportSingleRange(Dest, nil, 0, 0) },
	} {
		wantPanic(t, name, msg, f)
	}
}

// TestErrors checks what the errors say: import errors wrap the errno, and
// a fault names the operation and the user address once.
func TestErrors(t *testing.T) {
	s := testSpace(t)
	_, err := ImportSingleRange(Dest, s, s.End()-1, 2)
	var errno syscall.Errno
	if !errors.Is(err, syscall.EFAULT) || !errors.As(err, &errno) || errno != syscall.EFAULT || err == error(syscall.EFAULT) {
		t.Errorf("import past End: %v, want an error wrapping EFAULT", err)
	}
	_, err = ImportIovec(Dest, s, []Iovec{{s.Base(), 1 << 63}})
	if !errors.Is(err, syscall.EINVAL) || err == error(syscall.EINVAL) {
		t.Errorf("import of a negative length: %v, want an error wrapping EINVAL", err)
	}

	bad := s.Base() + 2*PageSize
	if err := s.Protect(bad, PageSize, cshim.ProtRead); err != nil {
		t.Fatal(err)
	}
	defer s.Protect(bad, PageSize, cshim.ProtRead|cshim.ProtWrite)
	it, err := ImportIovec(Dest, s, []Iovec{{bad - 10, 0}, {bad - 10, 20}})
	if err != nil {
		t.Fatal(err)
	}
	n, err := it.Write(make([]byte, 20))
	want := fmt.Sprintf("iter: Write: fault at user address %#x: bad address", bad)
	if n != 10 || !errors.Is(err, syscall.EFAULT) || err.Error() != want {
		t.Errorf("Write over a read-only page = %d, %q; want 10, %q", n, err, want)
	}
	n, err = it.Write(make([]byte, 1))
	if n != 0 || err == nil || err.Error() != want {
		t.Errorf("Write at a read-only page = %d, %v; want 0, %q", n, err, want)
	}
	below, err := ImportIovec(Dest, s, []Iovec{{s.Base() - PageSize, 5}})
	if err != nil {
		t.Fatal(err)
	}
	want = fmt.Sprintf("iter: readv: fault at user address %#x: bad address", s.Base()-PageSize)
	if _, err := Readv(0, &below); err == nil || err.Error() != want {
		t.Errorf("Readv below Base: %v, want %q", err, want)
	}
}

// TestEmptySyscalls: with nothing left, the readv family returns 0 and no
// error without a system call, even on a descriptor that is not open.
func TestEmptySyscalls(t *testing.T) {
	d := NewKvec(Dest, [][]byte{make([]byte, 4)})
	d.Advance(4)
	s := NewKvec(Source, nil)
	for name, r := range map[string]result{
		"Readv":   resultOf(Readv(-1, &d)),
		"Preadv":  resultOf(Preadv(-1, &d, 0)),
		"Writev":  resultOf(Writev(-1, &s)),
		"Pwritev": resultOf(Pwritev(-1, &s, 0)),
	} {
		if r.n != 0 || r.err != nil {
			t.Errorf("%s with Count() == 0 = %d, %v; want 0, nil", name, r.n, r.err)
		}
	}
}

// TestNegativeCounts: a negative count or length is a programming error
// and panics, for every kind and every method that takes one.
func TestNegativeCounts(t *testing.T) {
	s := testSpace(t)
	user, err := ImportSingleRange(Source, s, s.Base(), 100)
	if err != nil {
		t.Fatal(err)
	}
	kvec := NewKvec(Source, [][]byte{make([]byte, 100)})
	dest := NewKvec(Dest, [][]byte{make([]byte, 100)})
	var st csum.State
	for _, it := range []Iter{user, kvec} {
		for name, f := range map[string]func(){
			"NPages(-1)":           func() { it.NPages(-1) },
			"FaultInReadable(-1)":  func() { it.FaultInReadable(-1) },
			"FaultInWriteable(-1)": func() { it.FaultInWriteable(-1) },
			"Advance(-1)":          func() { it.Advance(-1) },
			"Revert(-1)":           func() { it.Revert(-1) },
			"Truncate(-1)":         func() { it.Truncate(-1) },
			"Reexpand(-1)":         func() { it.Reexpand(-1) },
			"Csum(-1)":             func() { it.Csum(-1, &st) },
			"GetPages(pages, -1)":  func() { it.GetPages(make([]*Page, 1), -1) },
			"GetPagesAlloc(-1)":    func() { it.GetPagesAlloc(-1) },
		} {
			wantPanic(t, fmt.Sprintf("%v %s", it.Kind(), name), "negative", f)
		}
	}
	wantPanic(t, "Zero(-1)", "negative", func() { dest.Zero(-1) })
	wantPanic(t, "NewDiscard(-1)", "negative", func() { NewDiscard(-1) })
	wantPanic(t, "CopyPageTo(p, 0, -1)", "do not fit", func() { dest.CopyPageTo(new(Page), 0, -1) })
	wantPanic(t, "CopyPageFrom(p, 0, -1)", "do not fit", func() { kvec.CopyPageFrom(new(Page), 0, -1) })
}

// TestClampOnMappedMemory lowers MaxRWCount to two pages and imports more:
// the import clamps as Linux does, and a copy writes exactly the clamped
// bytes, none of those clamped away.
func TestClampOnMappedMemory(t *testing.T) {
	defer func(m int) { maxRWCount = m }(maxRWCount)
	maxRWCount = 2 * PageSize
	s := testSpace(t)
	ones := bytes.Repeat([]byte{1}, 2*PageSize)
	canaries := bytes.Repeat([]byte{canaryByte}, PageSize)
	for _, single := range []bool{false, true} {
		_, vec := userLayout(t, []int{PageSize, 2 * PageSize, 10})
		var it Iter
		var err error
		var kept, dropped [][]byte // the bytes a copy must fill, and those it must not touch
		if single {
			it, err = ImportSingleRange(Dest, s, vec[1].Base, 3*PageSize)
			kept = [][]byte{s.Bytes(vec[1].Base, 2*PageSize)}
			dropped = [][]byte{s.Bytes(vec[1].Base+2*PageSize, PageSize)}
		} else {
			it, err = ImportIovec(Dest, s, vec)
			kept = [][]byte{s.Bytes(vec[0].Base, PageSize), s.Bytes(vec[1].Base, PageSize)}
			dropped = [][]byte{s.Bytes(vec[1].Base+PageSize, PageSize), s.Bytes(vec[2].Base, 10)}
			if vec[1].Len != PageSize || vec[2].Len != 0 {
				t.Fatalf("clamped lengths %d and %d, want %d and 0", vec[1].Len, vec[2].Len, PageSize)
			}
		}
		if err != nil || it.Count() != 2*PageSize {
			t.Fatalf("single %v: import of more than MaxRWCount: %v, count %d", single, err, it.Count())
		}
		if n := it.CopyTo(bytes.Repeat([]byte{1}, 4*PageSize)); n != 2*PageSize {
			t.Fatalf("single %v: CopyTo after the clamp = %d", single, n)
		}
		if !bytes.Equal(bytes.Join(kept, nil), ones) {
			t.Fatalf("single %v: the clamped range does not hold what was copied", single)
		}
		for _, d := range dropped {
			if !bytes.Equal(d, canaries[:len(d)]) {
				t.Fatalf("single %v: a byte clamped away changed", single)
			}
		}
	}
}

// TestShortenedIovec shortens an iovec below the position after import, a
// misuse the package does not detect (the iovec array is the caller's):
// copies must still stay inside the segments as they are now, which moves
// them on to the next segment, and never write the bytes the segment gave
// up.
func TestShortenedIovec(t *testing.T) {
	s, err := cshim.NewSpace(2 * PageSize)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Map(s.Base(), 2*PageSize, cshim.ProtRead|cshim.ProtWrite); err != nil {
		t.Fatal(err)
	}
	b := s.Base()
	user := s.Bytes(b, 2*PageSize)
	for _, what := range []string{"CopyTo", "CopyFrom"} {
		for i := range user {
			user[i] = byte(i%251 + 1)
		}
		vec := []Iovec{{b, 100}, {b + 2000, 100}}
		dir := Dest
		if what == "CopyFrom" {
			dir = Source
		}
		it, err := ImportIovec(dir, s, vec)
		if err != nil {
			t.Fatal(err)
		}
		buf := bytes.Repeat([]byte{0xee}, 50)
		move := func(n int) int {
			if what == "CopyTo" {
				return it.CopyTo(buf[:n])
			}
			return it.CopyFrom(buf[:n])
		}
		if got := move(50); got != 50 {
			t.Fatalf("%s: first copy moved %d bytes, want 50", what, got)
		}
		before := bytes.Clone(user)
		vec[0].Len = 10 // below the position, 50 bytes in
		got := move(20)
		for i := range user {
			inside := i < 10 || i >= 2000 && i < 2100
			if user[i] != before[i] && !inside {
				t.Fatalf("%s: byte %d, outside the segments as they are now, changed", what, i)
			}
		}
		if what == "CopyFrom" && got > 0 && !bytes.Equal(buf[:got], before[2000:2000+got]) {
			t.Errorf("%s: read %x, want the next segment's bytes %x", what, buf[:got], before[2000:2000+got])
		}
		if got != 20 {
			t.Errorf("%s: after the shortening moved %d bytes, want 20 (from the next segment)", what, got)
		}
	}
}
