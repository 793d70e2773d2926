package iter

import (
	"fmt"
	"io"
	"sync"
	"syscall"
)

// faultError is the error of the operation op that stopped at a fault in
// user memory at the iterator's next byte: it names op and the address, and
// wraps EFAULT. Go memory cannot fault: there the operation found no bytes
// where Count says there are some, which only segments changed after the
// iterator was made do (bad use), and the error says so, with no errno.
func (it *Iter) faultError(op string) error {
	if !it.user() {
		return fmt.Errorf("iter: %s: no bytes in the %v segments, where Count says %d (were they changed?)", op, it.kind, it.count)
	}
	seg, off, _ := it.first(it.count)
	return fmt.Errorf("iter: %s: fault at user address %#x: %w", op, it.userAddr(seg, off), syscall.EFAULT)
}

// badCount is the error of op when its reader or writer (who) reported n
// bytes for a buffer of size: the iterator moves nothing on such a count.
func badCount(op, who string, n, size int) error {
	return fmt.Errorf("iter: %s: the %s reported %d bytes of %d", op, who, n, size)
}

// bounce holds buffers for moving user memory through code that must not
// touch it directly (an io.Reader or io.Writer might fault in it).
var bounce = sync.Pool{New: func() any { return new([32 << 10]byte) }}

// Read copies the iterator's next bytes into p and advances (io.Reader). At
// the end it returns io.EOF; if user memory faults before any byte moves,
// an error wrapping EFAULT. Source only.
func (it *Iter) Read(p []byte) (int, error) {
	it.want(Source, "Read")
	switch {
	case len(p) == 0:
		return 0, nil
	case it.count == 0:
		return 0, io.EOF
	}
	if n := it.CopyFrom(p); n > 0 {
		return n, nil
	}
	return 0, it.faultError("Read")
}

// Write copies p into the iterator and advances (io.Writer). If the
// iterator fills up first it returns io.ErrShortWrite; if user memory
// faults, an error wrapping EFAULT. Dest only.
func (it *Iter) Write(p []byte) (int, error) {
	it.want(Dest, "Write")
	n := it.CopyTo(p)
	switch {
	case n == len(p):
		return n, nil
	case it.count == 0:
		return n, io.ErrShortWrite
	}
	return n, it.faultError("Write")
}

// WriteTo writes the iterator's bytes to w until the end (io.WriterTo),
// advancing by exactly what w took: Go memory goes to w as it is, user
// memory through a buffer. A count from w below 0 or above what it was
// given stops WriteTo with an error, without advancing. Source only.
func (it *Iter) WriteTo(w io.Writer) (int64, error) {
	it.want(Source, "WriteTo")
	var total int64
	var buf *[32 << 10]byte
	if it.user() {
		buf = bounce.Get().(*[32 << 10]byte)
		defer bounce.Put(buf)
	}
	for it.count > 0 {
		var p []byte
		if buf != nil {
			c := *it
			p = buf[:c.CopyFrom(buf[:])]
			if len(p) == 0 {
				return total, it.faultError("WriteTo")
			}
		} else {
			seg, off, k := it.first(it.count)
			p = it.mem(seg, off, k)
		}
		n, err := w.Write(p)
		if n < 0 || n > len(p) {
			return total, badCount("WriteTo", "writer", n, len(p))
		}
		it.consume(n)
		total += int64(n)
		if err != nil {
			return total, err
		}
		if n < len(p) {
			return total, io.ErrShortWrite
		}
	}
	return total, nil
}

// ReadFrom reads from r into the iterator until r reports io.EOF or the
// iterator is full (io.ReaderFrom), and advances past what it stored. Like
// readv(2) it reads at most Count() bytes, so it never takes from r a byte
// it cannot store: Go memory is handed to r as it is, user memory and
// KindDiscard go through a buffer no longer than what is left. If the
// iterator fills up before r reports io.EOF, ReadFrom returns
// io.ErrShortWrite, as Write does for bytes it cannot take: r may hold more,
// and cannot be asked without taking a byte (a full iterator returns 0 and
// io.ErrShortWrite at once, without reading). Before each read into user
// memory it probes the pages the read would fill and asks r for no more
// than the writable ones take, so an inaccessible page ends ReadFrom with
// every byte before it stored, the rest left in r and an error wrapping
// EFAULT; only a mapping changed while r reads can make it lose bytes read.
// A count from r below 0 or above what it was given stops ReadFrom with an
// error, storing nothing of that read. Dest only.
func (it *Iter) ReadFrom(r io.Reader) (int64, error) {
	it.want(Dest, "ReadFrom")
	var total int64
	mem := it.kind == KindKvec || it.kind == KindBvec
	var buf *[32 << 10]byte
	if !mem {
		buf = bounce.Get().(*[32 << 10]byte)
		defer bounce.Put(buf)
	}
	for it.count > 0 {
		var p []byte
		if mem {
			seg, off, k := it.first(it.count)
			p = it.mem(seg, off, k)
		} else {
			k := min(len(buf), it.count)
			if it.user() {
				// Bytes read for a page that then faults could be
				// neither stored nor given back to r.
				if k -= it.FaultInWriteable(k); k == 0 {
					return total, it.faultError("ReadFrom")
				}
			}
			p = buf[:k]
		}
		n, err := r.Read(p)
		if n < 0 || n > len(p) {
			return total, badCount("ReadFrom", "reader", n, len(p))
		}
		if mem {
			it.consume(n)
		} else if stored := it.CopyTo(p[:n]); stored < n {
			return total + int64(stored), it.faultError("ReadFrom")
		}
		total += int64(n)
		if err == io.EOF {
			return total, nil
		}
		if err != nil {
			return total, err
		}
	}
	return total, io.ErrShortWrite
}
