//go:build linux

package iter

import (
	"bytes"
	"fmt"
	"testing"
	"unsafe"

	"github.com/iovkit/iovkit/cshim"
)

// badUseWindow is how many system pages of the fuzzed space are mapped: the
// segments lie in them.
const badUseWindow = 6

// userModel is what a user iterator and its address space should be: the
// address of every byte of the iterator's stream, the bytes every mapped
// page holds, the pages' protection, and the iterator's position.
type userModel struct {
	lens   []int
	addrs  []uintptr // the user address of each byte of the stream
	window uintptr   // the first mapped address
	mem    []byte    // what the mapped pages hold
	prot   []cshim.Prot
	closed bool
	pos    int // bytes consumed
	count  int
}

// ok reports whether the byte at user address a can be read, or written if
// write.
func (m *userModel) ok(a uintptr, write bool) bool {
	if m.closed || a < m.window || a >= m.window+uintptr(len(m.mem)) {
		return false
	}
	p := m.prot[(a-m.window)/uintptr(pageSize)]
	return p == cshim.ProtRead|cshim.ProtWrite || !write && p == cshim.ProtRead
}

// reach returns how many of the next n bytes (at most Count) an operation
// moves: those before the first byte it cannot access.
func (m *userModel) reach(n int, write bool) int {
	n = min(n, m.count)
	for i := range n {
		if !m.ok(m.addrs[m.pos+i], write) {
			return i
		}
	}
	return n
}

// held returns the bytes of the segments from a State's position, or -1 if
// the State is not a position in them.
func (m *userModel) held(st State) int {
	if st.seg < 0 || st.off < 0 || st.seg > len(m.lens) || st.seg == len(m.lens) && st.off > 0 ||
		st.seg < len(m.lens) && st.off > m.lens[st.seg] {
		return -1
	}
	pos := st.off
	for _, l := range m.lens[:st.seg] {
		pos += l
	}
	return len(m.addrs) - pos
}

// FuzzBadUse runs random sequences of Close, Protect, Unmap, Reexpand,
// Revert, Restore (of its own State or another iterator's) and copies on a
// user iterator and on a model, and checks after every step that no byte
// changed outside the iterator's own memory: not in the rest of the mapped
// pages, and not in Go memory at the address a pointer computed from a
// closed space's nil base would reach. Misuse must panic with the package's
// message exactly when the model says it is misuse.
func FuzzBadUse(f *testing.F) {
	f.Add([]byte{0, 2, 60, 7, 200, 3, 0, 40, 4, 0, 0, 90, 2, 1, 5, 250, 0, 90})
	f.Add([]byte{1, 3, 30, 1, 90, 2, 0, 0, 7, 0, 2, 2, 0, 0, 200, 6, 100, 8, 0, 0, 255})
	f.Add([]byte{2, 1, 100, 9, 3, 1, 0, 20, 5, 3, 6, 250, 8, 1, 0, 100, 2, 3, 1, 0, 255})
	f.Add([]byte{3, 4, 10, 1, 0, 2, 70, 3, 130, 4, 8, 1, 9, 2, 0, 50, 4, 0, 0, 80, 6, 255})
	f.Add([]byte{1, 2, 64, 5, 64, 6, 2, 4, 2, 1, 0, 10, 3, 5, 0, 30, 4, 0, 5, 60, 0, 200})
	f.Fuzz(func(t *testing.T, prog []byte) {
		next := reader(&prog)
		s, window := fuzzSpace(t)
		ps := pageSize
		m := &userModel{window: window, mem: make([]byte, badUseWindow*ps), prot: make([]cshim.Prot, badUseWindow)}
		for i := range m.mem {
			m.mem[i] = byte(i*7 + 3)
		}
		for i := range m.prot {
			m.prot[i] = cshim.ProtRead | cshim.ProtWrite
		}
		copy(s.Bytes(window, len(m.mem)), m.mem)

		mode := next()
		dir := Dir(mode & 1)
		ubuf := mode&2 != 0
		nsegs := 1 + next()%4
		if ubuf {
			nsegs = 1
		}
		vec := make([]Iovec, nsegs)
		for i := range vec {
			l := next() * ps / 80 // up to about three pages
			addr := window + uintptr(next()*4099%(len(m.mem)-l+1))
			vec[i] = Iovec{addr, uint64(l)}
			m.lens = append(m.lens, l)
			for j := range l {
				m.addrs = append(m.addrs, addr+uintptr(j))
			}
		}
		m.count = len(m.addrs)
		var it Iter
		var err error
		if ubuf {
			it, err = ImportSingleRange(dir, s, vec[0].Base, vec[0].Len)
		} else {
			it, err = ImportIovec(dir, s, vec)
		}
		if err != nil {
			t.Fatal(err)
		}
		saved, savedM := it.Save(), *m

		victimWas := victim
		for step := 0; len(prog) > 0 && step < 40; step++ {
			code, arg := next()%10, next()
			size := arg * ps / 64
			if arg > 250 {
				size = m.count + arg - 250
			}
			what := fmt.Sprintf("step %d (op %d, %d)", step, code, size)
			switch code {
			case 0, 1: // a copy, or Zero / Peek
				buf := bytes.Repeat([]byte{byte(step + 1)}, size+3)
				want := m.reach(size, dir == Dest)
				var n int
				switch {
				case dir == Dest && code == 0:
					n = it.CopyTo(buf[:size])
				case dir == Dest:
					n = it.Zero(size)
					clear(buf)
				case code == 0:
					n = it.CopyFrom(buf[:size])
				default:
					n = it.Peek(buf[:size])
				}
				if n != want {
					t.Fatalf("%s: moved %d bytes, the model %d", what, n, want)
				}
				for i := range n {
					a := m.addrs[m.pos+i] - window
					if dir == Dest {
						m.mem[a] = buf[i]
					} else if buf[i] != m.mem[a] {
						t.Fatalf("%s: byte %d read is %#x, want %#x", what, i, buf[i], m.mem[a])
					}
				}
				if dir == Source && bytes.Count(buf[n:], []byte{byte(step + 1)}) != len(buf)-n {
					t.Fatalf("%s: the destination changed past the %d bytes read", what, n)
				}
				if dir == Dest || code == 0 {
					m.pos += n
					m.count -= n
				}
			case 2, 3: // Protect, or Unmap
				page := arg % badUseWindow
				addr := window + uintptr(page*ps)
				prot := []cshim.Prot{cshim.ProtNone, cshim.ProtRead, cshim.ProtRead | cshim.ProtWrite}[next()%3]
				if code == 3 {
					err = s.Unmap(addr, ps)
					prot = cshim.ProtNone
				} else {
					err = s.Protect(addr, ps, prot)
				}
				if (err != nil) != m.closed {
					t.Fatalf("%s: %v with the space closed %v", what, err, m.closed)
				}
				if !m.closed {
					m.prot[page] = prot
					if code == 3 {
						clear(m.mem[page*ps : (page+1)*ps])
					}
				}
			case 4:
				if !m.closed {
					if err := s.Close(); err != nil {
						t.Fatal(err)
					}
					m.closed = true
				}
			case 5:
				held := len(m.addrs) - m.pos
				if misuse(t, what, size > held, func() { it.Reexpand(size) }) {
					m.count = size
				}
			case 6:
				if misuse(t, what, size > m.pos, func() { it.Revert(size) }) {
					m.pos -= size
					m.count += size
				}
			case 7:
				saved, savedM = it.Save(), *m
			case 8:
				st, mm := saved, savedM
				if arg&1 != 0 { // another iterator's State
					other := NewKvec(Source, [][]byte{make([]byte, arg%7), make([]byte, arg%13), make([]byte, 5)})
					other.Advance(next())
					st = other.Save()
					mm = *m
					if h := m.held(st); h >= 0 {
						mm.pos, mm.count = len(m.addrs)-h, st.count
					}
				}
				bad := m.held(st) < 0 || st.count > m.held(st)
				if misuse(t, what, bad, func() { it.Restore(st) }) {
					mm.closed, mm.prot, mm.mem = m.closed, m.prot, m.mem // Restore moves the position only
					*m = mm
				}
			case 9:
				it.Advance(size)
				if m.count > 0 {
					k := min(size, m.count)
					m.pos += k
					m.count -= k
				}
			}
			if it.Count() != m.count {
				t.Fatalf("%s: Count() = %d, the model %d", what, it.Count(), m.count)
			}
			if victim != victimWas {
				t.Fatalf("%s: Go memory changed to %q", what, victim)
			}
			for p := range badUseWindow {
				if m.ok(window+uintptr(p*ps), false) {
					if got := s.Bytes(window+uintptr(p*ps), ps); !bytes.Equal(got, m.mem[p*ps:(p+1)*ps]) {
						t.Fatalf("%s: page %d of the window holds other bytes than the model", what, p)
					}
				}
			}
		}
	})
}

// misuse runs f, which must panic with a message of this package if bad
// and return normally otherwise, and reports whether it returned.
func misuse(t *testing.T, what string, bad bool, f func()) (returned bool) {
	t.Helper()
	defer func() {
		r := recover()
		msg, ok := r.(string)
		switch {
		case bad && (!ok || len(msg) < 6 || msg[:6] != "iter: "):
			t.Fatalf("%s: misuse panicked with %#v, want the package's message", what, r)
		case !bad && r != nil:
			t.Fatalf("%s: panicked with %v", what, r)
		}
	}()
	f()
	return true
}

// fuzzSpace returns a space of its own for one fuzz run and the address of
// its badUseWindow mapped pages, which hold the page that a pointer computed
// from a nil base would turn into victim's address (when the binary puts
// victim low enough to reach).
func fuzzSpace(t *testing.T) (*cshim.Space, uintptr) {
	g := uintptr(unsafe.Pointer(&victim)) &^ uintptr(pageSize-1)
	if g > 1<<30 {
		g = 0
	}
	s, err := cshim.NewSpace(int(g) + badUseWindow*pageSize)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	window := s.Base() + g - uintptr(pageSize)*min(2, g/uintptr(pageSize))
	if err := s.Map(window, badUseWindow*pageSize, cshim.ProtRead|cshim.ProtWrite); err != nil {
		t.Fatal(err)
	}
	return s, window
}
