package iter

import (
	"bytes"
	"testing"
	"unsafe"
)

func TestAdvanceRevert(t *testing.T) {
	eachCase(t, Dest, func(t *testing.T, fx *fixture, m *model, size int) {
		before, saved := fx.it.Save(), *m
		fx.it.Advance(size)
		n := m.advance(size)
		fx.check(t, m, "after Advance")
		fx.it.Revert(n)
		m.revert(n)
		fx.check(t, m, "after Revert")
		// Reverting all that was consumed returns to the first byte.
		all := m.pos
		fx.it.Revert(all)
		m.revert(all)
		fx.check(t, m, "after reverting to the start")
		fx.it.Restore(before)
		*m = saved
		fx.check(t, m, "after Restore")
	})
}

func TestTruncateReexpand(t *testing.T) {
	eachCase(t, Source, func(t *testing.T, fx *fixture, m *model, size int) {
		full := m.count
		fx.it.Truncate(size)
		m.count = min(m.count, size)
		fx.check(t, m, "after Truncate")
		dst := make([]byte, full+1)
		for _, what := range []string{"CopyFrom after Truncate", "CopyFrom after Reexpand"} {
			start := m.pos
			n := fx.it.CopyFrom(dst)
			if want := m.consume(m.count); n != want || !bytes.Equal(dst[:n], m.data[start:start+n]) {
				t.Fatalf("%s: %s = %d, want %d, or wrong bytes", fx.name, what, n, want)
			}
			fx.check(t, m, what)
			fx.it.Reexpand(full - (m.pos - start))
			m.count = full - (m.pos - start)
			full = m.count
		}
	})
}

func TestSaveRestoreDup(t *testing.T) {
	eachCase(t, Dest, func(t *testing.T, fx *fixture, m *model, size int) {
		s := fx.it.Save()
		saved := *m
		d := fx.it.Dup()
		fx.it.Advance(size)
		fx.it.Truncate(1)
		fx.it.Restore(s)
		*m = saved
		fx.check(t, m, "after Restore")
		// The duplicate is where the original was and moves on its own.
		if d.Save() != s {
			t.Fatalf("%s: Dup is at %+v, the original was at %+v", fx.name, d.Save(), s)
		}
		n := d.CopyTo(bytes.Repeat([]byte{7}, size))
		d.Revert(n)
		fx.it.Advance(1)
		m.advance(1)
		if d.Save() != s {
			t.Fatalf("%s: Dup moved with the original", fx.name)
		}
		if n > 0 && (d.kind == KindKvec && &d.kvecs()[0] == &fx.it.kvecs()[0] || d.kind == KindBvec && &d.bvecs()[0] == &fx.it.bvecs()[0]) {
			t.Fatalf("%s: Dup shares the segment array", fx.name)
		}
	})
}

func TestSingleSegCount(t *testing.T) {
	eachCase(t, Dest, func(t *testing.T, fx *fixture, m *model, size int) {
		fx.it.Advance(size)
		m.advance(size)
		seg, off := m.position()
		want := m.count
		if seg < len(m.lens) {
			want = min(m.count, m.lens[seg]-off)
		}
		if got := fx.it.SingleSegCount(); got != want {
			t.Fatalf("%s: SingleSegCount() = %d, want %d", fx.name, got, want)
		}
	})
}

// pieces returns the address and length of every non-empty piece the model
// has left, as the iterator must report them.
func pieces(fx *fixture, m *model) (addrs []uintptr, lens []int) {
	pos, left := 0, m.count
	for i, l := range m.lens {
		start := max(m.pos-pos, 0)
		if k := min(l-start, left); k > 0 && start < l {
			v := fx.views[i]
			var a uintptr
			switch fx.it.kind {
			case KindBvec:
				a = uintptr(fx.it.bvecs()[i].Offset + start)
			default:
				a = uintptr(unsafe.Pointer(&v[start]))
			}
			addrs, lens = append(addrs, a), append(lens, k)
			left -= k
		}
		pos += l
	}
	return addrs, lens
}

func TestAlignmentAndPages(t *testing.T) {
	eachCase(t, Dest, func(t *testing.T, fx *fixture, m *model, size int) {
		fx.it.Truncate(size)
		m.count = min(m.count, size)
		addrs, lens := pieces(fx, m)
		var align uintptr
		npages := 0
		for i, a := range addrs {
			align |= a | uintptr(lens[i])
			npages += int((a+uintptr(lens[i])+PageSize-1)/PageSize - a/PageSize)
		}
		if got := fx.it.Alignment(); got != align {
			t.Fatalf("%s: Alignment() = %#x, want %#x", fx.name, got, align)
		}
		if got := fx.it.NPages(1 << 20); got != npages {
			t.Fatalf("%s: NPages() = %d, want %d", fx.name, got, npages)
		}
		if got := fx.it.NPages(1); got != min(npages, 1) {
			t.Fatalf("%s: NPages(1) = %d, want %d", fx.name, got, min(npages, 1))
		}
		pages := make([]*Page, 4)
		n, start, err := fx.it.GetPages(pages, size)
		switch {
		case len(addrs) == 0:
			if n != 0 || err != nil {
				t.Fatalf("%s: GetPages of nothing = %d, %v", fx.name, n, err)
			}
		case fx.it.kind == KindKvec:
			if err == nil {
				t.Fatalf("%s: GetPages of a kvec succeeded", fx.name)
			}
		case fx.it.kind == KindBvec:
			seg, _ := m.position()
			for fx.it.bvecs()[seg].Len == 0 {
				seg++
			}
			if err != nil || n != lens[0] || start != int(addrs[0]) || pages[0] != fx.it.bvecs()[seg].Page {
				t.Fatalf("%s: GetPages = %d, %d, %v; want %d, %d", fx.name, n, start, err, lens[0], addrs[0])
			}
			all, n2, start2, err := fx.it.GetPagesAlloc(size)
			if err != nil || n2 != n || start2 != start || len(all) != 1 || all[0] != pages[0] {
				t.Fatalf("%s: GetPagesAlloc = %d pages, %d, %d, %v", fx.name, len(all), n2, start2, err)
			}
		}
		fx.check(t, m, "after GetPages")
	})
}

func TestGapAlignment(t *testing.T) {
	buf := make([]byte, 3*PageSize)
	base := uintptr(unsafe.Pointer(&buf[0]))
	segs := [][]byte{buf[0:512], {}, buf[512:1024], buf[2048:2100], buf[4096:8192]}
	it := NewKvec(Dest, segs)
	// Each non-empty segment after the first: its start, and the end of
	// the one before it.
	gap2 := base + 512 // the third segment starts where the first ends
	gap3 := (base + 2048) | (base + 1024)
	gap4 := (base + 4096) | (base + 2100)
	if got, want := it.GapAlignment(), gap2|gap3|gap4; got != want {
		t.Fatalf("GapAlignment() = %#x, want %#x", got, want)
	}
	it.Truncate(1000) // the walk stops in the second non-empty segment
	if want := gap2; it.GapAlignment() != want {
		t.Fatalf("GapAlignment() after Truncate = %#x, want %#x", it.GapAlignment(), want)
	}
	b := NewBvec(Dest, []Bvec{{Page: new(Page), Len: 1}})
	d := NewDiscard(1)
	if b.GapAlignment() != ^uintptr(0) || d.GapAlignment() != ^uintptr(0) {
		t.Fatal("GapAlignment of a bvec or discard is not all ones")
	}
}

func TestPagePool(t *testing.T) {
	var p PagePool
	seen := map[*Page]bool{}
	for range 100 {
		pg := p.Get()
		if uintptr(unsafe.Pointer(pg))%PageSize != 0 {
			t.Fatalf("page at %p is not aligned", pg)
		}
		if seen[pg] {
			t.Fatal("Get returned a page twice")
		}
		seen[pg] = true
		pg[100] = 1
		defer p.Put(pg)
	}
	p.Put(nil)
	pg := p.Get()
	if bytes.Count(pg[:], []byte{0}) != PageSize {
		t.Fatal("Get returned a page that is not zeroed")
	}
}
