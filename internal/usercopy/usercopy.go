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
// and on amd64 a copy loop with non-temporal stores for CopyInNocache) with
// runtime/debug.SetPanicOnFault set, so that a fault on an inaccessible user
// page becomes a panic, which [Walk] recovers. A fault anywhere else is
// not swallowed: it panics on as if no walk were there. No C code ever
// touches user memory.
//
// Assembly that touches user memory must let the runtime unwind from a
// fault inside it: a function that writes SP (to align its stack, say) turns
// such a fault into a fatal "traceback: unexpected SPWRITE function" error.
//
// Each transfer adds to its caller's counter after every whole
// page, before touching the next one; after a fault the counter therefore
// holds exactly the bytes moved. The convenience functions ([CopyOut],
// [CopyIn], ...) are one Walk each; a [Guard] runs several under one stop.
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

// Space is user memory: the methods of iter.AddressSpace. Every address in
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

// Guard turns memory faults on user pages into a stop, for the operations of
// one goroutine between Arm and Disarm:
//
//	var g usercopy.Guard
//	g.Arm(as)
//	defer g.Disarm() // directly deferred: Disarm calls recover
//	ok := g.CopyOut(dst, src, &n) && g.CopyOut(dst2, src2, &n)
//
// A primitive that reaches an inaccessible page does not return: it panics,
// and the panic unwinds to the function that deferred Disarm, which
// recovers it and lets that function return normally (with its named
// results as they stand). The counters passed to the primitives say how far
// they got, and Faulted says whether anything stopped short.
//
// Disarm runs after the body of the function that deferred it, so a caller
// that wants Faulted must be able to see the Guard afterwards: return it, or
// read it in a function deferred before Disarm:
//
//	func gather(...) (n int, faulted bool) {
//		var g usercopy.Guard
//		defer func() { faulted = g.Faulted() }() // runs after Disarm
//		g.Arm(as)
//		defer g.Disarm()
//		...
//	}
//
// A body that gets to its end may call Release last: the deferred Disarm
// then has no panic to look for and skips recover, which costs more than
// the rest of Disarm.
//
// Each primitive is a [Walk], which recovers the memory fault itself; the
// primitive then panics with a value of its own that only its Guard's
// Disarm recovers. A Guard is used by one goroutine; the zero value is
// ready to Arm, and a disarmed Guard can be armed again. Guards nest: an
// inner one passes the outer one's stops on, and restores the setting the
// outer one made.
type Guard struct {
	as        Space
	faultAddr uintptr // address of the fault recovered, 0 if none
	armed     bool
	faulted   bool
	prevOnFlt bool // the goroutine's SetPanicOnFault setting before Arm
}

// Arm prepares g for operations on as and turns on SetPanicOnFault for the
// calling goroutine. It must be followed at once by defer g.Disarm(). Arm
// panics if g is already armed. If as has no memory (Pointer(Base) is nil),
// every operation under g stops at its first byte, touching nothing.
func (g *Guard) Arm(as Space) {
	if g.armed {
		panic("usercopy: Guard.Arm: already armed")
	}
	g.as = as
	g.faultAddr = 0
	g.faulted = false
	g.armed = true
	g.prevOnFlt = debug.SetPanicOnFault(true)
}

// Disarm restores the goroutine's SetPanicOnFault setting and, when a
// primitive of g is unwinding the stack from a fault, recovers it (see
// Faulted). It must be called by defer directly, or recover cannot see the
// panic. Any other panic, including a fault at an address outside [Base, End)
// such as one in Go memory, goes on unchanged: a bad pointer still crashes.
// Disarm on a Guard that is not armed does nothing.
func (g *Guard) Disarm() {
	if !g.armed {
		return
	}
	g.Release()
	r := recover()
	if r == nil {
		return
	}
	if _, ok := r.(unwind); ok && g.faultAddr != 0 {
		return
	}
	panic(r)
}

// Release disarms g on the way out of a body that finished without a fault:
// it restores the goroutine's SetPanicOnFault setting, so that the deferred
// Disarm finds g not armed and returns at once, without the cost of
// recover. Nothing under g is guarded after Release: call it last.
func (g *Guard) Release() {
	g.armed = false
	debug.SetPanicOnFault(g.prevOnFlt)
}

// unwind is the panic with which a primitive leaves, after a fault, for the
// Disarm of its Guard, having set the Guard's faultAddr. Only that Guard can
// be armed with a faultAddr set: any other Guard armed deeper down, whose
// Disarm runs first, is still in its body, so it has not faulted, and lets
// the panic go on. Being empty, it panics without allocating.
type unwind struct{}

func (unwind) Error() string {
	return "usercopy: a fault under a Guard whose Disarm is not deferred"
}

// Faulted reports whether an operation under g stopped short: at a fault
// (after Disarm recovered it) or at an address outside [Base, End).
func (g *Guard) Faulted() bool { return g.faulted }

// FaultAddr returns the address that the recovered fault reported, the
// faulting byte or the start of its page, or 0 if there was none. It is for
// tests and diagnostics.
func (g *Guard) FaultAddr() uintptr { return g.faultAddr }

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

// A window is what a walk knows of user memory: the addresses it may touch,
// user address u in [base, end) being at ptr + (u - base), and its fault
// state.
type window struct {
	ptr       unsafe.Pointer
	base, end uintptr
	fault     uintptr // the address of a fault the walk met, 0 if none
	armed     bool    // SetPanicOnFault is on for the walk
	prev      bool    // the goroutine's setting before the walk
}

// userPage reports whether the page holding addr overlaps [base, end). The
// kernel reports the faulting byte or its page; qemu-user sometimes the one,
// sometimes the other.
func (w *window) userPage(addr uintptr) bool {
	page := addr &^ pageMask
	return page < w.end && page+pageMask >= w.base
}

// recovered returns the address of r, the value a walk's deferred function
// recovered, when it is a fault on a user page, and 0 when r is nil (the
// goroutine is exiting); any other panic it raises again.
func (w *window) recovered(r any) uintptr {
	if r == nil {
		return 0
	}
	if addr, ok := faultAddress(r); ok && w.userPage(addr) {
		return addr
	}
	panic(r)
}

// span returns how many of the n > 0 bytes at user address u can be moved as
// one piece: those in u's page that are inside [base, end). It returns 0 if u
// itself is outside, and for every u when the space has no memory. Computing
// lengths rather than end addresses, it cannot wrap around.
func (w *window) span(u uintptr, n int) int {
	if u < w.base || u >= w.end {
		return 0
	}
	k := min(pageSize-u&pageMask, w.end-u)
	if uintptr(n) < k {
		return n
	}
	return int(k)
}

// user returns the k bytes at user address u, which span has accepted.
func (w *window) user(u uintptr, k int) []byte {
	return unsafe.Slice((*byte)(w.at(u)), k)
}

// at returns the pointer to user address u, which span has accepted.
func (w *window) at(u uintptr) unsafe.Pointer { return unsafe.Add(w.ptr, u-w.base) }

// An Op is what a transfer does to each page of user memory it walks: one
// op per primitive of a Guard, which Do applies.
type Op uint8

const (
	OpCopyOut        Op = iota // CopyOut: buf into user memory
	OpCopyIn                   // CopyIn: user memory into buf
	OpCopyInNocache            // CopyInNocache
	OpClear                    // Clear: zero user memory
	OpCsumCopyIn               // CsumCopyIn
	OpCsumCopyOut              // CsumCopyOut
	OpCsum                     // Csum: checksum user memory in place
	OpProbeReadable            // ProbeReadable
	OpProbeWriteable           // ProbeWriteable
)

// A Seg is a range of user memory, Len bytes at Base, laid out as struct
// iovec on a 64-bit machine (and as iter.Iovec).
type Seg struct {
	Base uintptr
	Len  uint64
}

// Do applies op a to the n bytes at user address u, as DoSegs does to one
// segment.
func (g *Guard) Do(a Op, u uintptr, n int, buf []byte, sum *csum.Sum, done *int) bool {
	seg := [1]Seg{{u, uint64(n)}} // a negative n is no bytes to DoSegs
	return g.DoSegs(a, seg[:], 0, n, buf, sum, done)
}

// DoSegs is the walk of every primitive: it applies op a to the first n
// bytes of segs from off bytes into segs[0], segment by segment and page by
// page, in order, each piece being the bytes of one page of a segment that
// lie inside the space, and adds the piece's length to *done once a is done
// with it. Empty segments, and a first one no longer than off, are skipped.
// A copy moves the piece to or from buf at the piece's offset from the first
// byte (buf may be longer than n; it is unused by the other ops); a
// checksumming op extends *sum by the piece as a block at stream offset
// *done (csum.BlockAdd). DoSegs returns true when all n bytes are done, and
// false, recorded as a stop (see Faulted), at an address outside the space
// or a page the probe cannot prove writable; at an inaccessible page it does
// not return. It panics if g is not armed, buf is shorter than n, or segs
// hold fewer than n bytes from off.
func (g *Guard) DoSegs(a Op, segs []Seg, off, n int, buf []byte, sum *csum.Sum, done *int) bool {
	if !g.armed {
		panic("usercopy: Guard is not armed")
	}
	_, _, ok, fault := Walk(g.as, a, segs, off, n, buf, sum, done)
	if !ok {
		g.faulted = true
	}
	if fault != 0 {
		g.faultAddr = fault
		panic(unwind{})
	}
	return ok
}

// Walk is DoSegs on its own, on the space as: it turns SetPanicOnFault on
// for the walk alone, a fault ends the walk, and Walk returns, with *done
// exact and fault the address the fault reported (the faulting byte or its
// page's start). When all n bytes are done, ok is true and seg, segOff is
// the position of the byte after them: segs[seg], segOff bytes in, past
// the ends of segments and past empty ones, so seg is len(segs) when none
// is left (for n <= 0 it is 0, off). After a stop or a fault ok is false
// and the position is 0, 0. Walk is the walk of iterators over user memory
// and of every transfer here, and panics as DoSegs does.
//
// The op is a switch in the loop rather than a func value, and the loop is
// not a function of its own: a call per page, or per walk, would cost more
// than the switch, in copies of a page or less.
func Walk(as Space, a Op, segs []Seg, off, n int, buf []byte, sum *csum.Sum, done *int) (seg, segOff int, ok bool, fault uintptr) {
	if n <= 0 {
		return 0, off, true, 0
	}
	w := window{base: as.Base(), end: as.End()}
	if w.base < w.end {
		w.ptr = as.Pointer(w.base)
	}
	if w.ptr == nil {
		w.end = w.base // no memory: span finds every address outside
	}
	w.armed = true
	w.prev = debug.SetPanicOnFault(true)
	defer func() {
		if w.armed {
			debug.SetPanicOnFault(w.prev)
			fault = w.recovered(recover())
		}
	}()
	// One piece a round: the bytes of segment i from u that lie in u's
	// page and inside the space, at most n; rest is what segment i holds
	// from u.
	i := 0
	u, rest := segs[0].Base+uintptr(off), segs[0].Len-min(segs[0].Len, uint64(off))
	for {
		for rest == 0 {
			i++
			u, rest = segs[i].Base, segs[i].Len
		}
		k := w.span(u, int(min(rest, uint64(n))))
		if k == 0 {
			goto stop
		}
		switch a {
		case OpCopyOut:
			copy(w.user(u, k), buf)
			buf = buf[k:]
		case OpCopyIn:
			copy(buf, w.user(u, k))
			buf = buf[k:]
		case OpCopyInNocache:
			moveNocache(buf[:k], w.user(u, k))
			buf = buf[k:]
		case OpClear:
			clear(w.user(u, k))
		case OpCsumCopyIn:
			*sum = csum.BlockAdd(*sum, csum.Copy(buf[:k], w.user(u, k), 0), *done)
			buf = buf[k:]
		case OpCsumCopyOut:
			*sum = csum.BlockAdd(*sum, csum.Copy(w.user(u, k), buf[:k], 0), *done)
			buf = buf[k:]
		case OpCsum:
			*sum = csum.BlockAdd(*sum, csum.Partial(w.user(u, k), 0), *done)
		case OpProbeReadable:
			probeRead(w.at(u))
		case OpProbeWriteable:
			if !w.probeWrite(u) {
				goto stop
			}
		}
		*done += k
		n -= k
		u += uintptr(k)
		rest -= uint64(k)
		if n == 0 {
			off = int(segs[i].Len - rest)
			for i < len(segs) && uint64(off) >= segs[i].Len {
				i, off = i+1, 0 // past the end, and past empty segments
			}
			w.armed = false
			debug.SetPanicOnFault(w.prev)
			return i, off, true, 0
		}
	}
stop:
	w.armed = false
	debug.SetPanicOnFault(w.prev)
	return 0, 0, false, w.fault
}

// CopyOut copies src to user memory at dst (copy_to_user), page by page,
// adding each page's byte count to *done once it is copied. It returns true
// when all of src was copied and false when it stopped at an address outside
// the space; at an inaccessible page it does not return (see Guard).
func (g *Guard) CopyOut(dst uintptr, src []byte, done *int) bool {
	return g.Do(OpCopyOut, dst, len(src), src, nil, done)
}

// CopyIn fills dst from user memory at src (copy_from_user), page by page,
// adding each page's byte count to *done once it is copied. Results as for
// CopyOut.
func (g *Guard) CopyIn(dst []byte, src uintptr, done *int) bool {
	return g.Do(OpCopyIn, src, len(dst), dst, nil, done)
}

// CopyInNocache is CopyIn for data that will not be read again soon (Linux's
// __copy_from_user_inatomic_nocache): where this build has a kernel for it
// (amd64, outside race and purego builds), every page of 64 bytes or more
// is stored into dst with non-temporal stores, which bypass the cache.
// Whether a copy is large enough to be worth that is the caller's choice.
func (g *Guard) CopyInNocache(dst []byte, src uintptr, done *int) bool {
	return g.Do(OpCopyInNocache, src, len(dst), dst, nil, done)
}

// MoveNocache copies src to dst, which must have the same length and not
// overlap, storing past the cache where this build has a kernel for it
// (amd64 outside race and purego builds: MOVNTDQ). It is for Go memory:
// CopyFromNocache of a Kvec or Bvec.
func MoveNocache(dst, src []byte) { moveNocache(dst, src) }

// Clear zeroes n bytes of user memory at dst (clear_user), page by page,
// adding each page's byte count to *done once it is zeroed.
func (g *Guard) Clear(dst uintptr, n int, done *int) bool {
	return g.Do(OpClear, dst, n, nil, nil, done)
}

// CsumCopyIn is CopyIn that also checksums what it copies: before it adds a
// page's byte count to *done, it extends *sum by that page's bytes as a
// block at stream offset *done (csum.BlockAdd). So when *sum starts as the
// sum of a stream of *done bytes, it is always the sum of that stream and
// exactly the bytes copied since; from 0 and 0, of the bytes counted.
func (g *Guard) CsumCopyIn(dst []byte, src uintptr, sum *csum.Sum, done *int) bool {
	return g.Do(OpCsumCopyIn, src, len(dst), dst, sum, done)
}

// CsumCopyOut is CopyOut that also checksums what it copies, extending *sum
// as CsumCopyIn does.
func (g *Guard) CsumCopyOut(dst uintptr, src []byte, sum *csum.Sum, done *int) bool {
	return g.Do(OpCsumCopyOut, dst, len(src), src, sum, done)
}

// Csum checksums n bytes of user memory at src in place, page by page,
// extending *sum and *done as CsumCopyIn does.
func (g *Guard) Csum(src uintptr, n int, sum *csum.Sum, done *int) bool {
	return g.Do(OpCsum, src, n, nil, sum, done)
}

// ProbeReadable reads one byte of each page of the n bytes at addr
// (fault_in_readable), adding each page's share of the n bytes to *done once
// it is known readable. It changes nothing.
func (g *Guard) ProbeReadable(addr uintptr, n int, done *int) bool {
	return g.Do(OpProbeReadable, addr, n, nil, nil, done)
}

// ProbeWriteable proves each page of the n bytes at addr writable without
// changing a byte, even while other threads write to it: it performs an
// atomic read-modify-write that stores back what it read (an atomic OR or add
// of zero). It adds each page's share of the n bytes to *done once the page
// is known writable.
func (g *Guard) ProbeWriteable(addr uintptr, n int, done *int) bool {
	return g.Do(OpProbeWriteable, addr, n, nil, nil, done)
}

// probeRead loads the byte at p. It is a call of its own so that the load
// cannot be moved or dropped.
//
//go:noinline
func probeRead(p unsafe.Pointer) byte { return *(*byte)(p) }

// run applies op a, as the primitive of that name does, to n bytes at
// user address u under a Guard of its own armed on as (Walk), and returns
// how many it got through: the one wrapper of the functions below.
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
