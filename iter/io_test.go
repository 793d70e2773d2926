package iter

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"testing"
	"testing/iotest"
)

func TestReadWrite(t *testing.T) {
	eachCase(t, Source, func(t *testing.T, fx *fixture, m *model, size int) {
		want := m.data[m.pos : m.pos+m.count]
		got, err := io.ReadAll(iotest.OneByteReader(&fx.it))
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("%s: ReadAll = %d bytes, %v; want %d bytes", fx.name, len(got), err, len(want))
		}
		m.consume(m.count)
		fx.check(t, m, "after ReadAll")
		if n, err := fx.it.Read(make([]byte, 1)); n != 0 || err != io.EOF {
			t.Fatalf("%s: Read at the end = %d, %v", fx.name, n, err)
		}
	})
	eachCase(t, Dest, func(t *testing.T, fx *fixture, m *model, size int) {
		src := bytes.Repeat([]byte{0x42}, size)
		n, err := fx.it.Write(src)
		want := m.consume(size)
		copy(m.data[m.pos-want:], src[:want])
		if n != want || (want < size) != (err == io.ErrShortWrite) || (want == size && err != nil) {
			t.Fatalf("%s: Write of %d = %d, %v; want %d", fx.name, size, n, err, want)
		}
		fx.check(t, m, "after Write")
	})
}

func TestWriteTo(t *testing.T) {
	eachCase(t, Source, func(t *testing.T, fx *fixture, m *model, size int) {
		var out bytes.Buffer
		want := bytes.Clone(m.data[m.pos : m.pos+m.count])
		n, err := fx.it.WriteTo(&out)
		if err != nil || n != int64(len(want)) || !bytes.Equal(out.Bytes(), want) {
			t.Fatalf("%s: WriteTo = %d, %v; want %d bytes", fx.name, n, err, len(want))
		}
		m.consume(m.count)
		fx.check(t, m, "after WriteTo")
	})
	// A writer that stops short leaves the iterator after what it took.
	eachCase(t, Source, func(t *testing.T, fx *fixture, m *model, size int) {
		w := &limitWriter{left: size}
		n, err := fx.it.WriteTo(w)
		if int(n) != min(size, m.count) || (size < m.count) != (err != nil) {
			t.Fatalf("%s: WriteTo into %d bytes = %d, %v", fx.name, size, n, err)
		}
		m.consume(int(n))
		fx.check(t, m, "after a short WriteTo")
	})
}

// limitWriter takes left bytes, then fails.
type limitWriter struct{ left int }

var errFull = errors.New("full")

func (w *limitWriter) Write(p []byte) (int, error) {
	n := min(len(p), w.left)
	w.left -= n
	if n < len(p) {
		return n, errFull
	}
	return n, nil
}

// TestReadFrom reads streams of every size into every iterator: ReadFrom
// stores min(size, Count) bytes, reads no more than it stores, and reports
// io.ErrShortWrite exactly when the iterator filled up before the stream
// ended, as Write does for the same bytes.
func TestReadFrom(t *testing.T) {
	eachCase(t, Dest, func(t *testing.T, fx *fixture, m *model, size int) {
		src := bytes.Repeat([]byte{0x17}, size)
		full := size >= m.count
		w := fx.it
		wn, werr := w.Write(src)
		r := bytes.NewReader(src)
		n, err := fx.it.ReadFrom(iotest.HalfReader(r))
		want := m.consume(size)
		copy(m.data[m.pos-want:], src[:want])
		if int(n) != want || r.Len() != size-want {
			t.Fatalf("%s: ReadFrom of %d bytes = %d, %d left unread; want %d", fx.name, size, n, r.Len(), want)
		}
		if full && err != io.ErrShortWrite || !full && err != nil {
			t.Fatalf("%s: ReadFrom of %d bytes into %d: error %v", fx.name, size, want, err)
		}
		if size > want && (wn != int(n) || werr != err) {
			t.Fatalf("%s: Write of %d bytes = %d, %v; ReadFrom %d, %v", fx.name, size, wn, werr, n, err)
		}
		fx.check(t, m, "after ReadFrom")
	})
	d := NewDiscard(11)
	if n, err := d.ReadFrom(bytes.NewReader(make([]byte, 10))); n != 10 || err != nil || d.Count() != 1 {
		t.Fatalf("ReadFrom into a discard = %d, %v, count %d", n, err, d.Count())
	}
	r := iotest.ErrReader(errFull)
	k := NewKvec(Dest, [][]byte{make([]byte, 4)})
	if _, err := k.ReadFrom(r); err != errFull {
		t.Fatalf("ReadFrom a failing reader: %v", err)
	}
}

// TestCopyKeepsTheRest copies a connection into iterators smaller than what
// it carries: each takes exactly its Count and the rest stays in the
// connection, even when the iterator is empty.
func TestCopyKeepsTheRest(t *testing.T) {
	const stream = "HEADERbody"
	iters := map[string]func() (Iter, func() []byte){
		"discard": func() (Iter, func() []byte) { return NewDiscard(6), nil },
		"empty":   func() (Iter, func() []byte) { return NewKvec(Dest, nil), func() []byte { return nil } },
	}
	for kind, build := range builders {
		iters[kind.String()] = func() (Iter, func() []byte) {
			fx := build(t, Dest, []int{6})
			return fx.it, fx.contents
		}
	}
	for name, build := range iters {
		it, contents := build()
		want := min(it.Count(), len(stream))
		client, server := net.Pipe()
		go func() {
			client.Write([]byte(stream))
			client.Close()
		}()
		n, err := io.Copy(&it, server)
		rest, rerr := io.ReadAll(server)
		if n != int64(want) || err != io.ErrShortWrite || string(rest) != stream[want:] || rerr != nil {
			t.Errorf("%s: io.Copy = %d, %v, leaving %q (%v); want %d, io.ErrShortWrite, leaving %q",
				name, n, err, rest, rerr, want, stream[want:])
		}
		if contents != nil && string(contents()) != stream[:want] {
			t.Errorf("%s: the iterator holds %q", name, contents())
		}
	}
}

// liar reports a count it was not given: n more bytes than the buffer
// for Read and Write (or -1 for n < 0), after writing into the buffer's
// spare capacity where there is any.
type liar struct{ n int }

func (l liar) count(p []byte) int {
	if l.n < 0 {
		return -1
	}
	if extra := p[len(p):cap(p)]; len(extra) > 0 {
		extra[0] = 0x99
	}
	return len(p) + l.n
}

func (l liar) Read(p []byte) (int, error)  { return l.count(p), nil }
func (l liar) Write(p []byte) (int, error) { return l.count(p), nil }

// TestBadCounts hands every kind of iterator to a reader and a writer that
// report more bytes than they were given, or fewer than none: ReadFrom and
// WriteTo return an error and move nothing, no runtime error, and no byte
// beyond a segment is reachable through the slices they hand out.
func TestBadCounts(t *testing.T) {
	for _, lie := range []liar{{1}, {-1}} {
		for kind, build := range builders {
			for _, dir := range []Dir{Dest, Source} {
				fx := build(t, dir, []int{0, 8, 5})
				if fx == nil {
					continue // the kind cannot have three segments
				}
				m := newModel([]int{0, 8, 5}, fx.fill(3))
				var err error
				if dir == Dest {
					var n int64
					n, err = fx.it.ReadFrom(lie)
					if n != 0 {
						t.Errorf("%v ReadFrom(%+v) = %d", kind, lie, n)
					}
				} else {
					_, err = fx.it.WriteTo(lie)
				}
				if err == nil || fx.it.Count() != 13 {
					t.Errorf("%v %v with %+v: %v, count %d; want an error and nothing moved", kind, dir, lie, err, fx.it.Count())
				}
				fx.check(t, m, fmt.Sprintf("%v %v with %+v", kind, dir, lie))
			}
		}
		d := NewDiscard(10)
		if n, err := d.ReadFrom(lie); n != 0 || err == nil || d.Count() != 10 {
			t.Errorf("discard ReadFrom(%+v) = %d, %v, count %d", lie, n, err, d.Count())
		}
	}
}
