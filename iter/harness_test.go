package iter

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"
)

// A fixture is an iterator of one kind over a layout of segment lengths,
// with views of every segment's memory and canary bytes around them, so
// that a test can check every byte after an operation.
type fixture struct {
	it    Iter
	views [][]byte // each segment's memory, in order
	// around holds the memory next to the segments that no operation may
	// touch, filled with canaryByte.
	around [][]byte
	name   string
}

const canaryByte = 0xee

// builders make fixtures of each kind. User-memory kinds add themselves
// where the test address space is available.
var builders = map[Kind]func(t testing.TB, dir Dir, lens []int) *fixture{
	KindKvec: buildKvec,
	KindBvec: buildBvec,
}

// buildKvec places the segments in one buffer, each at an odd offset and
// with canary bytes between them.
func buildKvec(t testing.TB, dir Dir, lens []int) *fixture {
	total := 0
	for _, l := range lens {
		total += l + 3
	}
	buf := bytes.Repeat([]byte{canaryByte}, total+3)
	f := &fixture{name: "kvec"}
	segs := make([][]byte, len(lens))
	pos := 1 + len(lens)%2
	for i, l := range lens {
		f.around = append(f.around, buf[pos-1:pos])
		segs[i] = buf[pos : pos+l : pos+l]
		pos += l + 2 + i%2
	}
	f.around = append(f.around, buf[pos-1:])
	f.views = segs
	f.it = NewKvec(dir, segs)
	return f
}

// pool serves the pages of KindBvec fixtures.
var pool PagePool

// buildBvec gives every segment a page of its own at an offset that makes
// it end at the page's end, start at its start, or sit in between; an
// empty segment has no page, which NewBvec allows and no walk may touch.
func buildBvec(t testing.TB, dir Dir, lens []int) *fixture {
	f := &fixture{name: "bvec"}
	segs := make([]Bvec, len(lens))
	for i, l := range lens {
		if l == 0 {
			f.views = append(f.views, nil)
			continue
		}
		pg := pool.Get()
		copy(pg[:], bytes.Repeat([]byte{canaryByte}, PageSize))
		var off int
		switch i % 3 {
		case 0:
			off = PageSize - l
		case 1:
			off = 0
		case 2:
			off = (PageSize - l) / 3
		}
		segs[i] = Bvec{Page: pg, Offset: off, Len: l}
		f.views = append(f.views, pg[off:off+l])
		f.around = append(f.around, pg[:off], pg[off+l:])
	}
	f.it = NewBvec(dir, segs)
	return f
}

// fill writes a pattern into the segments, distinct for every byte of
// every segment.
func (f *fixture) fill(seed byte) []byte {
	var all []byte
	for i, v := range f.views {
		for j := range v {
			v[j] = seed + byte(i*31+j*7)
		}
		all = append(all, v...)
	}
	return all
}

// contents returns the segments' bytes, concatenated.
func (f *fixture) contents() []byte {
	var all []byte
	for _, v := range f.views {
		all = append(all, v...)
	}
	return all
}

// model is what an iterator should be: its bytes laid end to end, how many
// have been consumed and how many are left.
type model struct {
	lens  []int
	data  []byte
	pos   int
	count int
	// norm is set once an advance has moved the position past empty
	// segments; before that it is where the iterator started.
	norm bool
}

func newModel(lens []int, data []byte) *model {
	return &model{lens: lens, data: data, count: len(data)}
}

// position is where the iterator should be: the segment holding byte pos
// and the offset in it, or past the last segment at the end.
func (m *model) position() (seg, off int) {
	if !m.norm {
		return 0, 0
	}
	n := m.pos
	for seg < len(m.lens) && n >= m.lens[seg] {
		n -= m.lens[seg]
		seg++
	}
	return seg, n
}

func (m *model) advance(n int) int {
	n = min(n, m.count)
	if m.count == 0 {
		return 0
	}
	m.pos += n
	m.count -= n
	m.norm = true
	return n
}

// consume is what an operation that moves n bytes does to the position.
func (m *model) consume(n int) int {
	n = min(n, m.count)
	if n > 0 {
		m.advance(n)
	}
	return n
}

func (m *model) revert(n int) {
	if n > 0 {
		m.pos -= n
		m.count += n
		m.norm = true
	}
}

// check compares the iterator and its memory with the model, and the
// memory around the segments with the canaries.
func (f *fixture) check(t testing.TB, m *model, what string) {
	t.Helper()
	it := &f.it
	if it.Count() != m.count {
		t.Fatalf("%s: %s: Count() = %d, want %d", f.name, what, it.Count(), m.count)
	}
	if seg, off := m.position(); it.seg != seg || it.off != off {
		t.Fatalf("%s: %s: at segment %d offset %d, want segment %d offset %d", f.name, what, it.seg, it.off, seg, off)
	}
	if nr := len(m.lens) - it.seg; it.kind != KindUbuf && it.NrSegs() != nr {
		t.Fatalf("%s: %s: NrSegs() = %d, want %d", f.name, what, it.NrSegs(), nr)
	}
	if got := f.contents(); !bytes.Equal(got, m.data) {
		for i := range got {
			if got[i] != m.data[i] {
				t.Fatalf("%s: %s: byte %d of the segments is %#x, want %#x", f.name, what, i, got[i], m.data[i])
			}
		}
	}
	for _, a := range f.around {
		if bytes.Count(a, []byte{canaryByte}) != len(a) {
			t.Fatalf("%s: %s: a byte outside the segments changed", f.name, what)
		}
	}
}

// layouts are the segment lengths every table test runs on: empty segments
// at the start, middle and end, 1-byte segments, pages and odd sizes.
var layouts = [][]int{
	{},
	{0},
	{5},
	{0, 3, 0, 4, 0},
	{0, 0, 7},
	{1, 1, 1, 1, 1, 1, 1, 1},
	{7, 0, 0, 13, 1, 300, 3},
	{PageSize, PageSize},
	{3, PageSize - 3, PageSize, 1},
}

func total(lens []int) int {
	n := 0
	for _, l := range lens {
		n += l
	}
	return n
}

// startPoints are the ways a table test prepares an iterator before the
// operation under test: a count to truncate to and bytes to advance by.
func startPoints(lens []int) [][2]int {
	n := total(lens)
	pts := [][2]int{{n, 0}, {n, 1}, {n - 1, 0}, {n / 2, 2}, {n, n / 2}, {n, n}, {0, 0}}
	var out [][2]int
	for _, p := range pts {
		if p[0] >= 0 && p[1] >= 0 && p[1] <= n {
			out = append(out, p)
		}
	}
	return out
}

// eachCase runs an operation on a fresh fixture and model for every kind,
// layout, start point and size worth trying: nothing, one byte, all but
// one, all, and more than there is.
func eachCase(t *testing.T, dir Dir, run func(t *testing.T, fx *fixture, m *model, size int)) {
	for kind, build := range builders {
		for _, lens := range layouts {
			for _, sp := range startPoints(lens) {
				if build(t, dir, lens) == nil {
					continue // the kind cannot have this layout
				}
				prepare := func() (*fixture, *model) {
					fx := build(t, dir, lens)
					m := newModel(lens, fx.fill(1))
					fx.it.Truncate(sp[0])
					m.count = min(m.count, sp[0])
					fx.it.Advance(sp[1])
					m.advance(sp[1])
					fx.name = fmt.Sprintf("%v %v count=%d skip=%d", kind, lens, sp[0], sp[1])
					fx.check(t, m, "start")
					return fx, m
				}
				_, m := prepare()
				for _, size := range []int{0, 1, m.count - 1, m.count, m.count + 5} {
					if size >= 0 {
						fx, m := prepare()
						fx.name += fmt.Sprintf(" size=%d", size)
						run(t, fx, m, size)
					}
				}
			}
		}
	}
}

func randomBytes(rng *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}
