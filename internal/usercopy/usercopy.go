// Package usercopy moves bytes between Go memory and user memory (an
// address space such as cshim.Space) the way Linux's copy_to_user and
// copy_from_user do, but exactly: a transfer is split at the user side's page
// boundaries, each page is moved whole or not at all, and a short transfer
// reports exactly the bytes before the first page that could not be
// accessed. Nothing after that page is read or written, and nothing outside
// the ranges a transfer is given is read, written or prefetched.
//
// User memory is named by uintptr addresses inside [Space.Base, Space.End).
// Bytes outside that range behave as an unmapped page and are never touched,
// so no user address can make this package read or write Go memory.
//
// Transfers run in Go and Go assembly on the calling goroutine (the
// runtime's memmove and memclr, csum.Copy and csum.Partial, an atomic probe,
// and on amd64 a copy loop with non-temporal stores for OpCopyInNocache) with
// runtime/debug.SetPanicOnFault set, so that a fault on an inaccessible user
// page becomes a panic, which [Walk] (or [Mem.CopyPiece]) recovers. A
// fault anywhere else is not swallowed: it panics on as if no walk were
// there. No C code ever touches user memory.
//
// Assembly that touches user memory must let the runtime unwind from a
// fault inside it: a function that writes SP (to align its stack, say) turns
// such a fault into a fatal "traceback: unexpected SPWRITE function" error.
//
// Each transfer adds to its caller's counter after every whole
// page, before touching the next one; after a fault the counter therefore
// holds exactly the bytes moved. Every transfer is one [Walk], over one
// range or many segments, except a copy within one page, which
// [Mem.CopyPiece] reports whole or not at all; the convenience functions
// ([CopyOut], [CopyIn], ...) walk one range. An iterator keeps its space as
// a [Mem], which reads the space's bounds and memory once.
//
// Nothing here allocates, except that the Go runtime allocates the panic
// value of a fault.
package usercopy

import (
	"os"
	"runtime"
	"runtime/debug"
	"unsafe"

	"github.com/iovkit/iovkit/csum"
)

// Space is user memory: the methods of iter.AddressSpace, whose Base is at
// least 64 KiB (so no user address is 0). Every address in
// [Base, End) has memory behind it that may or may not be accessible;
// Pointer(addr) returns it, derived from the mapping (never Go memory). The
// mapping is linear, Pointer(a+k) == Pointer(a)+k, so a walk asks for the
// pointer to Base once and computes the others. Pointer is called only
// with addresses in [Base, End). It returns nil when the space has no
// memory any more (a closed cshim.Space): a walk then treats every address
// as outside the space, and never computes a pointer from nil.
type Space interface {
	Base() uintptr
	End() uintptr
	Pointer(addr uintptr) unsafe.Pointer
}

// pageSize is the system page size, the unit of all-or-nothing transfer.
var (
	pageSize = uintptr(os.Getpagesize())
	pageMask = pageSize - 1
)

// faultAddress returns the address of a memory fault that
// debug.SetPanicOnFault turned into the panic value r.
func faultAddress(r any) (uintptr, bool) {
	e, ok := r.(runtime.Error)
	if !ok {
		return 0, false
	}
	a, ok := e.(interface{ Addr() uintptr })
	if !ok {
		return 0, false
	}
	return a.Addr(), true
}

// A window is the memory a walk may touch: user address u in [base, end)
// is at ptr + (u - base). A window with no memory has end == base and a nil
// ptr.
type window struct {
	ptr       unsafe.Pointer
	base, end uintptr
}

// windowOf asks as for its window: three interface calls.
func windowOf(as Space) window {
	w := window{base: as.Base(), end: as.End()}
	if w.base < w.end {
		w.ptr = as.Pointer(w.base)
	}
	if w.ptr == nil {
		w.end = w.base // no memory: span finds every address outside
	}
	return w
}

// Mem is a Space with its window read once, as an iterator keeps it from
// its import: a walk of a Mem then asks the space only whether it still has
// that memory, with one call of Pointer(Base), rather than for Base, End and
// the pointer, and reads the window afresh when the answer differs (a
// closed space answers nil). A Mem therefore never reaches memory that its
// space has given up, but it assumes, as Linux does of a process, that
// Base and End never change.
type Mem struct {
	Space
	w window
}

// NewMem returns as with its window read.
func NewMem(as Space) Mem { return Mem{as, windowOf(as)} }

// held reports whether the space still has the memory m holds: one call.
func (m *Mem) held() bool { return m.w.ptr != nil && m.Pointer(m.w.base) == m.w.ptr }

// userFault returns the address of r, the value a walk's deferred function
// recovered, when it is a fault on a page that overlaps [base, end), and 0
// when r is nil (nothing panicked, or the goroutine is exiting); any other
// panic it raises again. The kernel reports the faulting byte or its page;
// qemu-user sometimes the one, sometimes the other.
func (w window) userFault(r any) uintptr {
	if r == nil {
		return 0
	}
	if addr, ok := faultAddress(r); ok {
		if page := addr &^ pageMask; page < w.end && page+pageMask >= w.base {
			return addr
		}
	}
	panic(r)
}

// span returns how many of the n > 0 bytes at user address u can be moved as
// one piece: those in u's page that are inside [base, end). It returns 0 if u
// itself is outside, and for every u when the space has no memory. Computing
// lengths rather than end addresses, it cannot wrap around.
func (w window) span(u, n uintptr) uintptr {
	if u-w.base >= w.end-w.base {
		return 0
	}
	return min(pageSize-u&pageMask, w.end-u, n)
}

// onePage reports whether the k bytes at user address u lie in one page
// inside the window: three branches, and no arithmetic that a copy of
// them would wait for.
func (w window) onePage(u, k uintptr) bool {
	return u-w.base < w.end-w.base && k <= w.end-u && u&pageMask+k <= pageSize
}

// at returns the pointer to user address u, which span has accepted.
func (w window) at(u uintptr) unsafe.Pointer { return unsafe.Add(w.ptr, u-w.base) }

// An Op is what a transfer does to each piece of user memory it walks
// (see Walk).
type Op uint8

const (
	// OpCopyOut copies buf into user memory (copy_to_user).
	OpCopyOut Op = iota
	// OpCopyIn copies user memory into buf (copy_from_user).
	OpCopyIn
	// OpCopyInNocache is OpCopyIn for data that will not be read again
	// soon (Linux's __copy_from_user_inatomic_nocache): where this build
	// has a kernel for it (amd64, outside race and purego builds), every
	// piece of 64 bytes or more is stored into buf with non-temporal
	// stores, which bypass the cache. Whether a copy is large enough to be
	// worth that is the caller's choice.
	OpCopyInNocache
	// OpClear zeroes user memory (clear_user).
	OpClear
	// OpCsumCopyIn is OpCopyIn that also checksums what it copies.
	OpCsumCopyIn
	// OpCsumCopyOut is OpCopyOut that also checksums what it copies.
	OpCsumCopyOut
	// OpCsum checksums user memory in place.
	OpCsum
	// OpProbeReadable reads one byte of each page (fault_in_readable) and
	// changes nothing.
	OpProbeReadable
	// OpProbeWriteable proves each page writable without changing a
	// byte, even while other threads write to it: it performs an atomic
	// read-modify-write that stores back what it read (an atomic OR or add
	// of zero).
	OpProbeWriteable
)

// A Seg is a range of user memory, Len bytes at Base, laid out as struct
// iovec on a 64-bit machine (and as iter.Iovec).
type Seg struct {
	Base uintptr
	Len  uint64
}

// Walk is the walk of every transfer (a plain copy within one page may be
// one CopyPiece instead): it applies op a to the first n bytes of segs
// from off bytes into segs[0], segment by segment and page by page, in
// order, each piece being the bytes of one page of a segment that lie
// inside the space, and adds the piece's length to *done once a is done
// with it. Empty segments, and a first one no longer than off, are skipped.
// A copy moves the piece to or from buf at the piece's offset from the first
// byte (buf may be longer than n; it is unused by the other ops); a
// checksumming op extends *sum by the piece as a block at stream offset
// *done (csum.BlockAdd), so that when *sum starts as the sum of a stream of
// *done bytes it is always the sum of that stream and exactly the bytes
// moved since.
//
// Walk turns SetPanicOnFault on for itself alone and restores the
// goroutine's setting on every way out. When all n bytes are done, ok is
// true and seg, segOff is the position of the byte after them: segs[seg],
// segOff bytes in, past the ends of segments and past empty ones, so seg is
// len(segs) when none is left (for n <= 0 it is 0, off). Otherwise ok is
// false, the position is 0, 0 and *done counts exactly the bytes moved:
// at an address outside the space, or a page the probe cannot prove
// writable, Walk stops with fault 0; at an inaccessible page it recovers
// the fault and returns the address the fault reported (the faulting byte
// or its page's start), which is never 0. Any other panic goes on
// unchanged, a fault in Go memory included. Walk panics if buf is shorter
// than n for a copy, or segs hold fewer than n bytes from off.
//
// Walk reads the window of as (see Mem) for this walk alone.
func Walk(as Space, a Op, segs []Seg, off, n int, buf []byte, sum *csum.Sum, done *int) (seg, segOff int, ok bool, fault uintptr) {
	m := NewMem(as)
	return m.Walk(a, segs, off, n, buf, sum, done)
}

// Walk is Walk over the window m holds, which it confirms with one call
// (so Walk above, which reads the window first, makes four).
//
// The op is a switch in the loop rather than a func value, and the loop is
// not a function of its own: a call per page, or per walk, would cost more
// than the switch, in copies of a page or less. A piece that lies in one
// page inside the window, as every piece of a segment within a page does,
// passes onePage; span cuts the others.
func (m *Mem) Walk(a Op, segs []Seg, off, n int, buf []byte, sum *csum.Sum, done *int) (seg, segOff int, ok bool, fault uintptr) {
	if n <= 0 {
		return 0, off, true, 0
	}
	w := m.w
	if !m.held() {
		w = windowOf(m.Space)
	}
	fw := w // not reassigned: the deferred function keeps a copy
	prev := debug.SetPanicOnFault(true)
	defer func() {
		debug.SetPanicOnFault(prev)
		if !ok && fault == 0 {
			fault = fw.userFault(recover())
		}
	}()
	i := 0
	u, rest := segs[0].Base+uintptr(off), segs[0].Len-min(segs[0].Len, uint64(off))
	for {
		for rest == 0 {
			i++
			u, rest = segs[i].Base, segs[i].Len
		}
		k := uintptr(n)
		if uint64(k) > rest {
			k = uintptr(rest)
		}
		if !w.onePage(u, k) {
			if k = w.span(u, k); k == 0 {
				return 0, 0, false, 0
			}
		}
		p := w.at(u)
		user := unsafe.Slice((*byte)(p), k)
		switch a {
		case OpCopyOut:
			copy(user, buf)
			buf = buf[k:]
		case OpCopyIn:
			copy(buf, user)
			buf = buf[k:]
		case OpCopyInNocache:
			moveNocache(buf[:k], user)
			buf = buf[k:]
		case OpClear:
			clear(user)
		case OpCsumCopyIn:
			*sum = csum.BlockAdd(*sum, csum.Copy(buf[:k], user, 0), *done)
			buf = buf[k:]
		case OpCsumCopyOut:
			*sum = csum.BlockAdd(*sum, csum.Copy(user, buf[:k], 0), *done)
			buf = buf[k:]
		case OpCsum:
			*sum = csum.BlockAdd(*sum, csum.Partial(user, 0), *done)
		case OpProbeReadable:
			probeRead(p)
		case OpProbeWriteable:
			if f, proved := w.probeWrite(u); !proved {
				return 0, 0, false, f
			}
		}
		*done += int(k)
		rest -= uint64(k)
		if n -= int(k); n == 0 {
			break
		}
		u += k
	}
	off = int(segs[i].Len - rest)
	for i < len(segs) && uint64(off) >= segs[i].Len {
		i, off = i+1, 0 // past the end, and past empty segments
	}
	return i, off, true, 0
}

// CopyPiece copies buf to user memory at u (out), or user memory at u to
// buf, when those bytes lie in one page inside the window, and reports
// whether it did. It does nothing else: when the bytes are not one such
// piece, or the space no longer has the memory m holds, or the page faults,
// it returns false, having moved nothing that it reports, and the caller
// walks them (Walk) to learn how far they go. It is the walk of a copy
// within a page without Walk's loop, count and position, which cost a
// tenth of a 4 KiB copy.
func (m *Mem) CopyPiece(out bool, u uintptr, buf []byte) (ok bool) {
	w := m.w
	if !w.onePage(u, uintptr(len(buf))) || !m.held() {
		return false
	}
	prev := debug.SetPanicOnFault(true)
	defer func() {
		debug.SetPanicOnFault(prev)
		if !ok {
			w.userFault(recover())
		}
	}()
	p := unsafe.Slice((*byte)(w.at(u)), len(buf))
	if out {
		copy(p, buf)
	} else {
		copy(buf, p)
	}
	return true
}

// MoveNocache copies src to dst, which must have the same length and not
// overlap, storing past the cache where this build has a kernel for it
// (amd64 outside race and purego builds: MOVNTDQ). It is for Go memory:
// CopyFromNocache of a Kvec or Bvec.
func MoveNocache(dst, src []byte) { moveNocache(dst, src) }

// probeRead loads the byte at p. It is a call of its own so that the load
// cannot be moved or dropped.
//
//go:noinline
func probeRead(p unsafe.Pointer) byte { return *(*byte)(p) }

// run walks op a over the n bytes at user address u and returns how many
// it got through: the one wrapper of the functions below.
func run(as Space, a Op, u uintptr, n int, buf []byte, sum *csum.Sum) (done int) {
	seg := [1]Seg{{u, uint64(n)}} // a negative n is no bytes to Walk
	Walk(as, a, seg[:], 0, n, buf, sum, &done)
	return done
}

// CopyOut copies src to user memory at dst and returns how many bytes it
// copied: all of them, or exactly those before the first page that is
// inaccessible or outside the space.
func CopyOut(as Space, dst uintptr, src []byte) int {
	return run(as, OpCopyOut, dst, len(src), src, nil)
}

// CopyIn fills dst from user memory at src and returns how many bytes it
// copied, as CopyOut does.
func CopyIn(dst []byte, as Space, src uintptr) int {
	return run(as, OpCopyIn, src, len(dst), dst, nil)
}

// Clear zeroes n bytes of user memory at dst and returns how many it zeroed,
// as CopyOut does.
func Clear(as Space, dst uintptr, n int) int {
	return run(as, OpClear, dst, n, nil, nil)
}

// CsumCopyIn fills dst from user memory at src and returns how many bytes it
// copied, as CopyIn does, and sum extended by exactly those bytes.
func CsumCopyIn(dst []byte, as Space, src uintptr, sum csum.Sum) (int, csum.Sum) {
	n := run(as, OpCsumCopyIn, src, len(dst), dst, &sum)
	return n, sum
}

// CsumCopyOut copies src to user memory at dst and returns how many bytes it
// copied, as CopyOut does, and sum extended by exactly those bytes.
func CsumCopyOut(as Space, dst uintptr, src []byte, sum csum.Sum) (int, csum.Sum) {
	n := run(as, OpCsumCopyOut, dst, len(src), src, &sum)
	return n, sum
}

// Readable returns how many of the n bytes at addr are readable: all of
// them, or those before the first page that is not. It reads one byte a page
// and changes nothing.
func Readable(as Space, addr uintptr, n int) int {
	return run(as, OpProbeReadable, addr, n, nil, nil)
}

// Writeable returns how many of the n bytes at addr are writable, as
// Readable does. It changes nothing, even while other threads write there.
func Writeable(as Space, addr uintptr, n int) int {
	return run(as, OpProbeWriteable, addr, n, nil, nil)
}
