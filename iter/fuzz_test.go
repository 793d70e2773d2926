package iter

import (
	"bytes"
	"fmt"
	"slices"
	"testing"

	"github.com/iovkit/iovkit/csum"
)

// FuzzIter builds an iterator from a random layout and runs a random
// sequence of operations on it and on a model (a flat byte slice and an
// offset), comparing after each: the count, the position, every byte of the
// segments and of the memory around them.
func FuzzIter(f *testing.F) {
	f.Add([]byte{0, 3, 5, 0, 9, 0, 10, 3, 11, 2, 40, 4, 1, 5, 2, 6, 9})
	f.Add([]byte{1, 6, 1, 1, 0, 1, 1, 200, 0, 1, 3, 4, 0, 2, 7, 5, 8, 2})
	f.Add([]byte{7, 2, 255, 255, 1, 100, 0, 7, 3, 50, 4, 20, 6, 0, 8, 9, 9, 9})
	f.Fuzz(func(t *testing.T, prog []byte) {
		next := reader(&prog)
		mode := next()
		dir := Dir(mode & 1)
		kinds := slices.Sorted(func(yield func(Kind) bool) {
			for k := range builders {
				if !yield(k) {
					return
				}
			}
		})
		build := builders[kinds[(mode>>1)%len(kinds)]]
		lens := make([]int, next()%9)
		for i := range lens {
			switch l := next(); {
			case l == 255:
				lens[i] = PageSize
			case l > 200:
				lens[i] = 0
			default:
				lens[i] = l % 70
			}
		}
		fx := build(t, dir, lens)
		if fx == nil {
			return // this kind cannot have this layout
		}
		fx.name = fmt.Sprint(fx.name, " ", lens)
		m := newModel(lens, fx.fill(9))
		var saved struct {
			st State
			m  model
		}
		saved.st, saved.m = fx.it.Save(), *m
		for step := 0; len(prog) > 0 && step < 50; step++ {
			code, arg := next()%10, next()
			if arg > 200 {
				arg = m.count + arg - 200
			}
			switch code {
			case 0: // copy in the iterator's direction
				buf := bytes.Repeat([]byte{byte(step)}, arg)
				start := m.pos
				var n int
				if dir == Dest {
					n = fx.it.CopyTo(buf)
				} else {
					n = fx.it.CopyFrom(buf)
				}
				if want := m.consume(arg); n != want {
					t.Fatalf("%s: step %d: copy of %d = %d, want %d", fx.name, step, arg, n, want)
				}
				if dir == Dest {
					copy(m.data[start:], buf[:n])
				} else if !bytes.Equal(buf[:n], m.data[start:start+n]) {
					t.Fatalf("%s: step %d: CopyFrom copied the wrong bytes", fx.name, step)
				}
			case 1: // checksummed copy
				buf := bytes.Repeat([]byte{byte(step * 3)}, arg)
				st := csum.State{Off: int64(step)}
				start := m.pos
				var n int
				if dir == Dest {
					n = fx.it.CsumAndCopyTo(buf, &st)
				} else {
					n = fx.it.CsumAndCopyFrom(buf, &st)
				}
				m.consume(arg)
				if dir == Dest {
					copy(m.data[start:], buf[:n])
				}
				want := csum.State{Off: int64(step)}
				want.Write(m.data[start : start+n])
				if st.Off != want.Off || st.Fold() != want.Fold() {
					t.Fatalf("%s: step %d: checksummed copy state %+v, want %+v", fx.name, step, st, want)
				}
			case 2:
				if dir == Dest {
					n := fx.it.Zero(arg)
					clear(m.data[m.pos : m.pos+n])
					m.consume(n)
				} else {
					buf := make([]byte, arg)
					if n := fx.it.Peek(buf); n != min(arg, m.count) || !bytes.Equal(buf[:n], m.data[m.pos:m.pos+n]) {
						t.Fatalf("%s: step %d: Peek(%d) = %d", fx.name, step, arg, n)
					}
				}
			case 3:
				fx.it.Advance(arg)
				m.advance(arg)
			case 4:
				k := min(arg, m.pos)
				fx.it.Revert(k)
				m.revert(k)
			case 5:
				fx.it.Truncate(arg)
				m.count = min(m.count, arg)
			case 6:
				k := min(arg, len(m.data)-m.pos)
				fx.it.Reexpand(k)
				m.count = k
			case 7:
				saved.st, saved.m = fx.it.Save(), *m
			case 8:
				fx.it.Restore(saved.st)
				*m = saved.m
			case 9:
				var st csum.State
				start := m.pos
				n := fx.it.Csum(arg, &st)
				if want := m.consume(arg); n != want || st.Fold() != csum.Checksum(m.data[start:start+n]) {
					t.Fatalf("%s: step %d: Csum(%d) = %d, want %d, or a wrong sum", fx.name, step, arg, n, want)
				}
			}
			fx.check(t, m, fmt.Sprintf("step %d (op %d, %d)", step, code, arg))
		}
	})
}

// reader returns a function that takes the next byte of a fuzz program, 0
// once it is used up, and shortens the program by it.
func reader(prog *[]byte) func() int {
	return func() int {
		if len(*prog) == 0 {
			return 0
		}
		b := (*prog)[0]
		*prog = (*prog)[1:]
		return int(b)
	}
}
