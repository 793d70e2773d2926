package iter

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/iovkit/iovkit/csum"
)

func TestCopyTo(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	eachCase(t, Dest, func(t *testing.T, fx *fixture, m *model, size int) {
		src := randomBytes(rng, size)
		n := fx.it.CopyTo(src)
		want := m.consume(size)
		copy(m.data[m.pos-want:], src[:want])
		if n != want {
			t.Fatalf("%s: CopyTo of %d bytes = %d, want %d", fx.name, size, n, want)
		}
		fx.check(t, m, "after CopyTo")
	})
}

func TestCopyFrom(t *testing.T) {
	eachCase(t, Source, func(t *testing.T, fx *fixture, m *model, size int) {
		dst := bytes.Repeat([]byte{0x5a}, size+1)
		start := m.pos
		n := fx.it.CopyFrom(dst[:size])
		if want := m.consume(size); n != want {
			t.Fatalf("%s: CopyFrom of %d bytes = %d, want %d", fx.name, size, n, want)
		}
		if !bytes.Equal(dst[:n], m.data[start:start+n]) || bytes.Count(dst[n:], []byte{0x5a}) != len(dst)-n {
			t.Fatalf("%s: CopyFrom copied the wrong bytes", fx.name)
		}
		fx.check(t, m, "after CopyFrom")
	})
}

// TestCopyFromNocache runs the table with every copy large enough for
// non-temporal stores, then with none.
func TestCopyFromNocache(t *testing.T) {
	defer func(n int) { nocacheMin = n }(nocacheMin)
	for _, nocacheMin = range []int{1, 1 << 40} {
		testCopyFromNocache(t)
	}
}

func testCopyFromNocache(t *testing.T) {
	eachCase(t, Source, func(t *testing.T, fx *fixture, m *model, size int) {
		dst := make([]byte, size)
		start := m.pos
		n := fx.it.CopyFromNocache(dst)
		if want := m.consume(size); n != want || !bytes.Equal(dst[:n], m.data[start:start+n]) {
			t.Fatalf("%s: CopyFromNocache of %d bytes = %d, want %d, or wrong bytes", fx.name, size, n, want)
		}
		fx.check(t, m, "after CopyFromNocache")
	})
}

func TestPeek(t *testing.T) {
	eachCase(t, Source, func(t *testing.T, fx *fixture, m *model, size int) {
		dst := make([]byte, size)
		n := fx.it.Peek(dst)
		if want := min(size, m.count); n != want || !bytes.Equal(dst[:n], m.data[m.pos:m.pos+n]) {
			t.Fatalf("%s: Peek of %d bytes = %d, want %d, or wrong bytes", fx.name, size, n, want)
		}
		fx.check(t, m, "after Peek")
	})
}

func TestZero(t *testing.T) {
	eachCase(t, Dest, func(t *testing.T, fx *fixture, m *model, size int) {
		n := fx.it.Zero(size)
		want := m.consume(size)
		clear(m.data[m.pos-want : m.pos])
		if n != want {
			t.Fatalf("%s: Zero(%d) = %d, want %d", fx.name, size, n, want)
		}
		fx.check(t, m, "after Zero")
	})
}

func TestCopyPage(t *testing.T) {
	var p Page
	for i := range p {
		p[i] = byte(i * 3)
	}
	eachCase(t, Dest, func(t *testing.T, fx *fixture, m *model, size int) {
		off := min(PageSize-min(size, PageSize), 7)
		k := min(size, PageSize-off)
		n := fx.it.CopyPageTo(&p, off, k)
		want := m.consume(k)
		copy(m.data[m.pos-want:], p[off:off+want])
		if n != want {
			t.Fatalf("%s: CopyPageTo(%d, %d) = %d, want %d", fx.name, off, k, n, want)
		}
		fx.check(t, m, "after CopyPageTo")
	})
	eachCase(t, Source, func(t *testing.T, fx *fixture, m *model, size int) {
		var q Page
		k := min(size, PageSize-1)
		start := m.pos
		n := fx.it.CopyPageFrom(&q, 1, k)
		if want := m.consume(k); n != want || !bytes.Equal(q[1:1+n], m.data[start:start+n]) {
			t.Fatalf("%s: CopyPageFrom(1, %d) = %d, want %d, or wrong bytes", fx.name, k, n, want)
		}
		fx.check(t, m, "after CopyPageFrom")
	})
	for _, bad := range [][2]int{{-1, 1}, {0, PageSize + 1}, {PageSize, 1}, {1, -1}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("CopyPageTo(%d, %d) did not panic", bad[0], bad[1])
				}
			}()
			it := NewKvec(Dest, [][]byte{make([]byte, 10)})
			it.CopyPageTo(&p, bad[0], bad[1])
		}()
	}
}

// TestCsumAndCopy checks that the checksummed copies copy as the plain ones
// do and add exactly the bytes copied to the state, at even and odd stream
// offsets.
func TestCsumAndCopy(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	for _, prefix := range []int{0, 1} {
		head := randomBytes(rng, prefix)
		eachCase(t, Dest, func(t *testing.T, fx *fixture, m *model, size int) {
			src := randomBytes(rng, size)
			var st csum.State
			st.Write(head)
			n := fx.it.CsumAndCopyTo(src, &st)
			want := m.consume(size)
			copy(m.data[m.pos-want:], src[:want])
			if n != want || st.Off != int64(prefix+n) || st.Fold() != csum.Checksum(append(head, src[:n]...)) {
				t.Fatalf("%s: CsumAndCopyTo of %d bytes = %d (want %d), state at %d with %#04x, want %#04x",
					fx.name, size, n, want, st.Off, st.Fold(), csum.Checksum(append(head, src[:n]...)))
			}
			fx.check(t, m, "after CsumAndCopyTo")
		})
		eachCase(t, Source, func(t *testing.T, fx *fixture, m *model, size int) {
			dst := make([]byte, size)
			var st csum.State
			st.Write(head)
			start := m.pos
			n := fx.it.CsumAndCopyFrom(dst, &st)
			want := m.consume(size)
			copied := m.data[start : start+want]
			if n != want || !bytes.Equal(dst[:n], copied) || st.Fold() != csum.Checksum(append(head, copied...)) {
				t.Fatalf("%s: CsumAndCopyFrom of %d bytes = %d (want %d), or wrong bytes or sum", fx.name, size, n, want)
			}
			fx.check(t, m, "after CsumAndCopyFrom")
		})
		eachCase(t, Source, func(t *testing.T, fx *fixture, m *model, size int) {
			var st csum.State
			st.Write(head)
			start := m.pos
			n := fx.it.Csum(size, &st)
			want := m.consume(size)
			if n != want || st.Fold() != csum.Checksum(append(head, m.data[start:start+want]...)) {
				t.Fatalf("%s: Csum(%d) = %d (want %d), or wrong sum", fx.name, size, n, want)
			}
			fx.check(t, m, "after Csum")
		})
	}
}

func TestDirectionPanics(t *testing.T) {
	src := NewKvec(Source, [][]byte{make([]byte, 4)})
	dst := NewKvec(Dest, [][]byte{make([]byte, 4)})
	var st csum.State
	for name, f := range map[string]func(){
		"CopyTo on Source":          func() { src.CopyTo([]byte{1}) },
		"Zero on Source":            func() { src.Zero(1) },
		"CsumAndCopyTo on Source":   func() { src.CsumAndCopyTo([]byte{1}, &st) },
		"CopyFrom on Dest":          func() { dst.CopyFrom(make([]byte, 1)) },
		"CopyFromNocache on Dest":   func() { dst.CopyFromNocache(make([]byte, 1)) },
		"Peek on Dest":              func() { dst.Peek(make([]byte, 1)) },
		"CsumAndCopyFrom on Dest":   func() { dst.CsumAndCopyFrom(make([]byte, 1), &st) },
		"Read on Dest":              func() { dst.Read(make([]byte, 1)) },
		"Write on Source":           func() { src.Write([]byte{1}) },
		"Csum of a discard":         func() { d := NewDiscard(3); d.Csum(1, &st) },
		"CopyFrom on a discard":     func() { d := NewDiscard(3); d.CopyFrom(make([]byte, 1)) },
		"negative Zero":             func() { dst.Zero(-1) },
		"negative Advance":          func() { dst.Advance(-1) },
		"Revert past the start":     func() { d := NewKvec(Dest, [][]byte{make([]byte, 4)}); d.Advance(2); d.Revert(3) },
		"NewDiscard(-1)":            func() { NewDiscard(-1) },
		"bad direction":             func() { NewKvec(Dir(7), nil) },
		"Bvec past its page":        func() { NewBvec(Dest, []Bvec{{Page: new(Page), Offset: 4000, Len: 97}}) },
		"Bvec without a page":       func() { NewBvec(Dest, []Bvec{{Len: 1}}) },
		"Bvec with negative length": func() { NewBvec(Dest, []Bvec{{Page: new(Page), Len: -1}}) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s did not panic", name)
				}
			}()
			f()
		}()
	}
}

func TestDiscard(t *testing.T) {
	d := NewDiscard(10)
	if d.Kind() != KindDiscard || d.Dir() != Dest || d.NrSegs() != 0 || d.Count() != 10 {
		t.Fatalf("NewDiscard(10): kind %v, dir %v, %d segments, count %d", d.Kind(), d.Dir(), d.NrSegs(), d.Count())
	}
	if n := d.CopyTo(make([]byte, 4)); n != 4 || d.Count() != 6 {
		t.Fatalf("CopyTo(4) = %d, count %d", n, d.Count())
	}
	var st csum.State
	if n := d.CsumAndCopyTo([]byte{1, 2, 3}, &st); n != 3 || st.Off != 3 || st.Fold() != csum.Checksum([]byte{1, 2, 3}) {
		t.Fatalf("CsumAndCopyTo(3) = %d, state %+v", n, st)
	}
	if n := d.Zero(100); n != 3 || d.Count() != 0 {
		t.Fatalf("Zero(100) = %d, count %d", n, d.Count())
	}
	d.Revert(5)
	if d.Count() != 5 || d.SingleSegCount() != 5 || d.Alignment() != 0 || d.NPages(10) != 0 {
		t.Fatalf("after Revert(5): count %d, single %d, alignment %d, pages %d", d.Count(), d.SingleSegCount(), d.Alignment(), d.NPages(10))
	}
	if _, _, err := d.GetPages(make([]*Page, 1), 5); err == nil {
		t.Fatal("GetPages of a discard iterator succeeded")
	}
}
