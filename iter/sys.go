//go:build linux

package iter

import (
	"errors"
	"io"
	"os"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Readv reads from fd into the iterator with one readv(2) over its next
// segments, at most UIOMaxIOV of them and Count bytes, and advances by what
// the kernel reports. It returns io.EOF when the kernel reports no bytes
// (on a datagram socket an empty datagram does too: Readv cannot tell them
// apart), and an error wrapping EFAULT if the first segment lies outside
// the address space. A user page that faults midway makes the kernel's
// count short. KindDiscard reads through a buffer, repeated in the iovecs
// up to Count (and 32 MiB), and drops the bytes. An iterator with
// Count() == 0 returns 0 and a nil error at once, without a system call (so
// a loop that reads until an error never ends on a full iterator: stop at
// Count() == 0). Dest only.
func Readv(fd int, it *Iter) (int, error) {
	it.want(Dest, "Readv")
	return it.rw(unix.SYS_READV, fd, 0)
}

// Writev writes the iterator's next bytes to fd with one writev(2), as
// Readv reads; with Count() == 0 it returns 0 and a nil error without a
// system call. Source only.
func Writev(fd int, it *Iter) (int, error) {
	it.want(Source, "Writev")
	return it.rw(unix.SYS_WRITEV, fd, 0)
}

// Preadv is Readv at offset off of the file, with preadv(2).
func Preadv(fd int, it *Iter, off int64) (int, error) {
	it.want(Dest, "Preadv")
	return it.rw(unix.SYS_PREADV, fd, off)
}

// Pwritev is Writev at offset off of the file, with pwritev(2).
func Pwritev(fd int, it *Iter, off int64) (int, error) {
	it.want(Source, "Pwritev")
	return it.rw(unix.SYS_PWRITEV, fd, off)
}

// ReadvRaw is Readv on the descriptor of c (from a net.Conn's or
// os.File's SyscallConn), waiting in Go's network poller while it would
// block. A wait that ends without data returns the poller's error, not
// the EAGAIN before it: one wrapping os.ErrDeadlineExceeded after a
// deadline, the poller's error for a closed file or connection after a
// Close (net.ErrClosed for a connection).
func ReadvRaw(c syscall.RawConn, it *Iter) (n int, err error) {
	it.want(Dest, "ReadvRaw")
	return it.rawRW(c.Read, unix.SYS_READV)
}

// WritevRaw is Writev on the descriptor of c, waiting in Go's network poller
// while it would block, with ReadvRaw's errors.
func WritevRaw(c syscall.RawConn, it *Iter) (n int, err error) {
	it.want(Source, "WritevRaw")
	return it.rawRW(c.Write, unix.SYS_WRITEV)
}

func (it *Iter) rawRW(do func(func(fd uintptr) bool) error, trap uintptr) (n int, err error) {
	cerr := do(func(fd uintptr) bool {
		n, err = it.rw(trap, int(fd), 0)
		if errors.Is(err, unix.EAGAIN) {
			err = nil // wait; if the wait fails, its error is the answer
			return false
		}
		return true
	})
	if err == nil {
		err = cerr
	}
	return n, err
}

var sysNames = map[uintptr]string{
	unix.SYS_READV: "readv", unix.SYS_WRITEV: "writev", unix.SYS_PREADV: "preadv", unix.SYS_PWRITEV: "pwritev",
}

// rw makes one vectored read or write system call over the iterator's next
// segments and advances by its result.
func (it *Iter) rw(trap uintptr, fd int, off int64) (int, error) {
	if it.count == 0 {
		return 0, nil
	}
	var vecs [UIOMaxIOV]unix.Iovec
	var nv int
	if it.kind == KindDiscard {
		// One buffer as many times as Count needs (up to UIOMaxIOV), so that
		// a datagram is taken whole, as a discard of its length would.
		buf := bounce.Get().(*[32 << 10]byte)
		defer bounce.Put(buf)
		for left := it.count; left > 0 && nv < len(vecs); nv++ {
			vecs[nv].Base = &buf[0]
			vecs[nv].SetLen(min(len(buf), left))
			left -= len(buf)
		}
	} else if nv = it.iovecs(vecs[:]); nv == 0 {
		return 0, it.faultError(sysNames[trap])
	}
	for {
		// preadv and pwritev take the offset as two longs, low then high;
		// on a 64-bit machine the low one holds it all.
		r, _, e := unix.Syscall6(trap, uintptr(fd), uintptr(unsafe.Pointer(&vecs[0])), uintptr(nv), uintptr(off), 0, 0)
		switch {
		case e == unix.EINTR:
			continue
		case e != 0:
			return 0, os.NewSyscallError(sysNames[trap], e)
		case r == 0 && it.dir == Dest:
			return 0, io.EOF
		}
		it.consume(int(r))
		return int(r), nil
	}
}

// iovecs fills vecs with the iterator's next pieces, at most len(vecs) and
// Count bytes, and returns how many. A user piece must lie in [Base, End)
// of a space with memory: the first that does not ends the list, so the
// kernel never reaches Go memory through a user address.
func (it *Iter) iovecs(vecs []unix.Iovec) int {
	nv := 0
	it.each(it.count, func(seg, off, k int) bool {
		if nv == len(vecs) {
			return false
		}
		var p *byte
		if it.user() {
			addr := it.userAddr(seg, off)
			if addr < it.as.Base() || addr >= it.as.End() || uint64(k) > uint64(it.as.End()-addr) {
				return false
			}
			if p = (*byte)(it.as.Pointer(addr)); p == nil {
				return false // the space has no memory
			}
		} else {
			p = &it.mem(seg, off, k)[0]
		}
		vecs[nv].Base = p
		vecs[nv].SetLen(k)
		nv++
		return true
	})
	return nv
}
