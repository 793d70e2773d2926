//go:build linux

package iter

import (
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

func tempFile(t *testing.T, content []byte) *os.File {
	t.Helper()
	f, err := os.CreateTemp(t.TempDir(), "iter")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	if _, err := f.Write(content); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	return f
}

func offset(t *testing.T, f *os.File) int64 {
	off, err := f.Seek(0, io.SeekCurrent)
	if err != nil {
		t.Fatal(err)
	}
	return off
}

func TestWritevReadv(t *testing.T) {
	eachCase(t, Source, func(t *testing.T, fx *fixture, m *model, size int) {
		f := tempFile(t, nil)
		fx.it.Truncate(size)
		m.count = min(m.count, size)
		want := bytes.Clone(m.data[m.pos : m.pos+m.count])
		n, err := Writev(int(f.Fd()), &fx.it)
		if err != nil || n != len(want) || offset(t, f) != int64(n) {
			t.Fatalf("%s: Writev = %d, %v (offset %d); want %d", fx.name, n, err, offset(t, f), len(want))
		}
		m.consume(n)
		fx.check(t, m, "after Writev")
		got, _ := os.ReadFile(f.Name())
		if !bytes.Equal(got, want) {
			t.Fatalf("%s: the file holds %d bytes, not what was written", fx.name, len(got))
		}
	})
	eachCase(t, Dest, func(t *testing.T, fx *fixture, m *model, size int) {
		content := bytes.Repeat([]byte{0x61}, size)
		f := tempFile(t, content)
		n, err := Readv(int(f.Fd()), &fx.it)
		want := m.consume(size)
		copy(m.data[m.pos-want:], content[:want])
		switch {
		case m.count+want > 0 && size == 0:
			if n != 0 || err != io.EOF {
				t.Fatalf("%s: Readv at the end of the file = %d, %v; want EOF", fx.name, n, err)
			}
		case n != want || err != nil || offset(t, f) != int64(n):
			t.Fatalf("%s: Readv = %d, %v (offset %d); want %d", fx.name, n, err, offset(t, f), want)
		}
		fx.check(t, m, "after Readv")
	})
}

func TestPreadvPwritev(t *testing.T) {
	content := []byte("0123456789abcdefghij")
	f := tempFile(t, content)
	a, b := make([]byte, 3), make([]byte, 4)
	it := NewKvec(Dest, [][]byte{a, nil, b})
	if n, err := Preadv(int(f.Fd()), &it, 5); n != 7 || err != nil || string(a)+string(b) != "56789ab" || it.Count() != 0 {
		t.Fatalf("Preadv at 5 = %d, %v, %q %q", n, err, a, b)
	}
	src := NewKvec(Source, [][]byte{[]byte("XY"), []byte("Z")})
	if n, err := Pwritev(int(f.Fd()), &src, 18); n != 3 || err != nil {
		t.Fatalf("Pwritev at 18 = %d, %v", n, err)
	}
	if got, _ := os.ReadFile(f.Name()); string(got) != "0123456789abcdefghXYZ" || offset(t, f) != 0 {
		t.Fatalf("after Pwritev the file is %q, offset %d", got, offset(t, f))
	}
}

// TestReadvSegmentLimit hands the kernel at most UIOMaxIOV segments a call.
func TestReadvSegmentLimit(t *testing.T) {
	segs := make([][]byte, UIOMaxIOV+10)
	for i := range segs {
		segs[i] = make([]byte, 1)
	}
	f := tempFile(t, bytes.Repeat([]byte{1}, len(segs)))
	it := NewKvec(Dest, segs)
	if n, err := Readv(int(f.Fd()), &it); n != UIOMaxIOV || err != nil || it.Count() != 10 {
		t.Fatalf("Readv over %d segments = %d, %v, %d left", len(segs), n, err, it.Count())
	}
	if n, err := Readv(int(f.Fd()), &it); n != 10 || err != nil || it.Count() != 0 {
		t.Fatalf("second Readv = %d, %v, %d left", n, err, it.Count())
	}
}

func TestReadvDiscard(t *testing.T) {
	f := tempFile(t, make([]byte, 100<<10))
	d := NewDiscard(70 << 10)
	total := 0
	for d.Count() > 0 {
		n, err := Readv(int(f.Fd()), &d)
		if err != nil {
			t.Fatal(err)
		}
		total += n
	}
	if total != 70<<10 || offset(t, f) != 70<<10 {
		t.Fatalf("Readv into a discard of 70 KiB read %d, offset %d", total, offset(t, f))
	}
}

// TestReadvDiscardDatagram discards a datagram longer than the discard's
// buffer: it goes whole, as a discard of its length takes it, and the
// next datagram is the next one read.
func TestReadvDiscardDatagram(t *testing.T) {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_DGRAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fds[0])
	defer unix.Close(fds[1])
	for _, msg := range [][]byte{make([]byte, 40<<10), []byte("next")} {
		if _, err := unix.Write(fds[0], msg); err != nil {
			t.Fatal(err)
		}
	}
	d := NewDiscard(50 << 10)
	if n, err := Readv(fds[1], &d); n != 40<<10 || err != nil || d.Count() != 10<<10 {
		t.Fatalf("Readv of a 40 KiB datagram into a discard of 50 KiB = %d, %v, %d left", n, err, d.Count())
	}
	buf := make([]byte, 10)
	it := NewKvec(Dest, [][]byte{buf})
	if n, err := Readv(fds[1], &it); n != 4 || err != nil || string(buf[:n]) != "next" {
		t.Fatalf("the next Readv = %d, %v: %q", n, err, buf[:n])
	}
}

// TestReadvShortenedKvec shortens a Kvec's segment after NewKvec (bad
// use): Readv finds no bytes and says so, without claiming a fault in user
// memory at a Go address.
func TestReadvShortenedKvec(t *testing.T) {
	segs := [][]byte{make([]byte, 4)}
	it := NewKvec(Dest, segs)
	segs[0] = segs[0][:0]
	_, err := Readv(-1, &it)
	if err == nil || errors.Is(err, unix.EFAULT) || !strings.Contains(err.Error(), "changed") {
		t.Fatalf("Readv over a shortened Kvec: %v", err)
	}
}

func TestReadvErrors(t *testing.T) {
	it := NewKvec(Dest, [][]byte{make([]byte, 4)})
	if _, err := Readv(-1, &it); !errors.Is(err, unix.EBADF) {
		t.Fatalf("Readv of a bad descriptor: %v", err)
	}
	if it.Count() != 4 {
		t.Fatalf("a failed Readv moved the iterator")
	}
}

// TestRawConn reads through Go's poller: ReadvRaw waits until the writer
// has written.
func TestRawConn(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	rc, err := r.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	wc, err := w.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		time.Sleep(20 * time.Millisecond)
		src := NewKvec(Source, [][]byte{[]byte("hello, "), []byte("poller")})
		WritevRaw(wc, &src)
	}()
	a, b := make([]byte, 5), make([]byte, 20)
	it := NewKvec(Dest, [][]byte{a, b})
	n, err := ReadvRaw(rc, &it)
	if err != nil || n != 13 || string(a)+string(b[:8]) != "hello, poller" {
		t.Fatalf("ReadvRaw = %d, %v: %q %q", n, err, a, b)
	}
}

// TestRawConnWaitFails checks that a wait in the poller that ends
// without data returns the poller's error, not the EAGAIN before it: a
// read deadline, a Close during the wait, a write deadline on a full pipe.
func TestRawConnWaitFails(t *testing.T) {
	pipe := func() (r, w *os.File, rc, wc syscall.RawConn) {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { r.Close(); w.Close() })
		if rc, err = r.SyscallConn(); err != nil {
			t.Fatal(err)
		}
		if wc, err = w.SyscallConn(); err != nil {
			t.Fatal(err)
		}
		return r, w, rc, wc
	}
	buf := make([]byte, 64)

	r, _, rc, _ := pipe()
	r.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
	dst := NewKvec(Dest, [][]byte{buf})
	if n, err := ReadvRaw(rc, &dst); n != 0 || !errors.Is(err, os.ErrDeadlineExceeded) || dst.Count() != 64 {
		t.Errorf("ReadvRaw past a deadline = %d, %v (count %d), want os.ErrDeadlineExceeded", n, err, dst.Count())
	}

	r, _, rc, _ = pipe()
	time.AfterFunc(20*time.Millisecond, func() { r.Close() })
	dst = NewKvec(Dest, [][]byte{buf})
	if n, err := ReadvRaw(rc, &dst); n != 0 || err == nil || errors.Is(err, syscall.EAGAIN) {
		t.Errorf("ReadvRaw while the pipe closes = %d, %v, want the poller's error", n, err)
	}

	_, w, _, wc := pipe()
	big := make([]byte, 1<<20) // more than a pipe holds
	src := NewKvec(Source, [][]byte{big})
	w.SetWriteDeadline(time.Now().Add(20 * time.Millisecond))
	total := 0
	var err error
	for err == nil {
		var n int
		n, err = WritevRaw(wc, &src)
		total += n
	}
	if !errors.Is(err, os.ErrDeadlineExceeded) || src.Count() != len(big)-total {
		t.Errorf("WritevRaw into a full pipe past a deadline: %v after %d bytes (count %d)", err, total, src.Count())
	}
}

// TestPipe moves data through a pipe with Writev and Readv.
func TestPipe(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	src := NewKvec(Source, [][]byte{[]byte("through "), nil, []byte("a pipe")})
	if n, err := Writev(int(w.Fd()), &src); n != 14 || err != nil || src.Count() != 0 {
		t.Fatalf("Writev into a pipe = %d, %v", n, err)
	}
	a, b := make([]byte, 3), make([]byte, 20)
	dst := NewKvec(Dest, [][]byte{a, b})
	if n, err := Readv(int(r.Fd()), &dst); n != 14 || err != nil || string(a)+string(b[:11]) != "through a pipe" || dst.Count() != 9 {
		t.Fatalf("Readv from a pipe = %d, %v: %q %q", n, err, a, b)
	}
	w.Close()
	if n, err := Readv(int(r.Fd()), &dst); n != 0 || err != io.EOF {
		t.Fatalf("Readv from a closed pipe = %d, %v", n, err)
	}
}

// TestNetConn moves data over TCP with the RawConn forms, which wait in
// Go's network poller.
func TestNetConn(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	done := make(chan error, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			done <- err
			return
		}
		defer c.Close()
		rc, err := c.(*net.TCPConn).SyscallConn()
		if err != nil {
			done <- err
			return
		}
		src := NewKvec(Source, [][]byte{[]byte("over "), []byte("TCP")})
		_, err = WritevRaw(rc, &src)
		done <- err
	}()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	rc, err := c.(*net.TCPConn).SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 8)
	dst := NewKvec(Dest, [][]byte{buf[:2], buf[2:]})
	got := 0
	for got < 8 {
		n, err := ReadvRaw(rc, &dst)
		if err != nil {
			t.Fatal(err)
		}
		got += n
	}
	if err := <-done; err != nil || string(buf) != "over TCP" {
		t.Fatalf("ReadvRaw got %q; writer: %v", buf, err)
	}
}
