//go:build linux

package iter

import (
	"bytes"
	"strings"
	"testing"
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
