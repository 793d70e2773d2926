// Package iter is Linux's iov_iter in Go: one iterator over scatter-gather
// memory that copies, zeroes, checksums, advances and reverts through it.
//
// An [Iter] walks one of five kinds of memory:
//
//   - KindIovec and KindUbuf: user memory, addresses in an [AddressSpace]
//     that may fault, imported with Linux's checks ([ImportIovec],
//     [ImportIovecUser], [ImportSingleRange]);
//   - KindKvec: Go byte slices ([NewKvec]);
//   - KindBvec: pages ([NewBvec]);
//   - KindDiscard: a sink that only counts ([NewDiscard]).
//
// Every iterator has a direction. A [Dest] iterator receives data, as the
// buffers of read(2) do: [Iter.CopyTo] copies into it. A [Source] iterator
// gives data, as those of write(2): [Iter.CopyFrom] copies out of it. Mind
// the names, which are Linux's: CopyTo is copy_to_iter, while the io.WriterTo
// method WriteTo writes out of the iterator. An operation in the wrong
// direction is a programming error and panics.
//
// # Faults
//
// Copies to and from user memory are exact. They run in Go (or Go assembly)
// under debug.SetPanicOnFault and are split at the user side's page
// boundaries, so a page moves whole or not at all: a short copy moves every
// byte before the first inaccessible page and none after it, returns exactly
// that count, and leaves the iterator advanced by exactly that much. Bytes
// outside the address space's [Base, End) behave as an unmapped page and are
// never touched, so no iovec can make the iterator read or write Go memory.
// A checksummed copy returns the sum of exactly the bytes it reports copied.
// Go memory (KindKvec, KindBvec) never faults.
//
// # Position
//
// An Iter is a small value: copying it copies the position, not the
// segments ([Iter.Dup] copies both). After any advance the position is at
// the segment holding the next byte, past any empty segments, as Linux's
// iov_iter_advance leaves it.
//
// # Bad use
//
// No misuse makes an iterator touch memory outside its segments or lose
// data it was given. A broken precondition is a programming error and
// panics with a message of this package: an operation in the wrong
// direction; a negative count or length, in every method that takes one;
// Revert past the bytes consumed; Reexpand past the bytes the segments hold
// from the position; Restore of a State that is not a position in the
// iterator's segments; an import without an AddressSpace.
//
// The iterator keeps the segments it was made with ([NewKvec], [NewBvec],
// [ImportIovec]) and does not copy them: the bytes they point to may
// change, but changing a segment's length or start afterwards leaves Count
// describing segments that are no longer there. A later walk then panics
// or moves bytes of a later segment, but stays inside the segments as it
// finds them: Go's bounds checks keep it inside slices and pages, and a
// user segment shortened below the position is left for the next one.
//
// Errors are values: an import error wraps Linux's syscall.Errno (test it
// with errors.Is), and a fault in user memory that stops an io method, or
// the readv family before the system call, is an error wrapping EFAULT that
// names the operation and the first user address it could not reach, as in
// "iter: Write: fault at user address 0x7f3a2c002000: bad address".
package iter

import (
	"fmt"
	"slices"
	"unsafe"

	"github.com/iovkit/iovkit/internal/usercopy"
	"golang.org/x/sys/unix"
)

// Dir is the direction data moves through an iterator.
type Dir uint8

const (
	// Dest iterators receive data (the buffers of read(2); Linux's
	// ITER_DEST): CopyTo, Zero, ReadFrom.
	Dest Dir = iota
	// Source iterators give data (the buffers of write(2); Linux's
	// ITER_SOURCE): CopyFrom, Peek, WriteTo.
	Source
)

func (d Dir) String() string {
	switch d {
	case Dest:
		return "Dest"
	case Source:
		return "Source"
	}
	return fmt.Sprintf("Dir(%d)", uint8(d))
}

// Kind is the kind of memory an iterator walks.
type Kind uint8

const (
	KindUbuf    Kind = iota // one range of user memory
	KindIovec               // user memory, one segment per Iovec
	KindKvec                // Go byte slices
	KindBvec                // parts of pages
	KindDiscard             // no memory: a Dest that drops what it receives
)

var kindNames = [...]string{"KindUbuf", "KindIovec", "KindKvec", "KindBvec", "KindDiscard"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Iovec is a segment of user memory, laid out like struct iovec on a 64-bit
// machine, so that an array of them can be read from user memory as it is.
type Iovec struct {
	Base uintptr
	Len  uint64
}

// PageSize is the size of a [Page]: 4096 bytes on every machine, whatever
// the system's page size.
const PageSize = 4096

// Page is one page of Go memory, the unit of KindBvec iterators and of
// GetPages. Pages from a [PagePool] are aligned to PageSize.
type Page [PageSize]byte

// Bvec is a segment of a page: Len bytes from Offset. Offset+Len must not
// pass the end of the page.
type Bvec struct {
	Page   *Page
	Offset int
	Len    int
}

// AddressSpace is user memory: a range of addresses [Base, End) that do not
// overlap Go memory, in which any page may be unmapped or protected.
// cshim.Space implements it.
type AddressSpace interface {
	// Base is the lowest usable address, at least 64 KiB. It never
	// changes.
	Base() uintptr
	// End is one past the highest usable address: Linux's access_ok limit.
	// It never changes.
	End() uintptr
	// Pointer returns addr, which lies in [Base, End), as a pointer derived
	// from the mapping. The mapping must be linear, Pointer(a+k) ==
	// Pointer(a)+k, as one mmap is: copies compute pointers from the one
	// to Base, which an import reads once and each copy confirms with one
	// call. Pointer may return nil instead, for
	// every address at once, when the space has no memory any more (a
	// closed cshim.Space): every address then behaves as unmapped, so
	// imports of non-empty ranges fail with EFAULT and iterators imported
	// earlier move nothing. It must never return Go memory.
	Pointer(addr uintptr) unsafe.Pointer
}

// Iter is an iterator over scatter-gather memory: a kind, a direction, the
// segments, a position in them and a count of the bytes left. The zero
// value is an empty Dest KindUbuf iterator.
type Iter struct {
	kind  Kind
	dir   Dir
	seg   int // the current segment
	off   int // bytes of the current segment already consumed; KindDiscard: bytes consumed
	count int // bytes left, at most the bytes of the segments from here

	// The segments of KindIovec, KindKvec or KindBvec: an array of nsegs
	// Iovec, []byte or Bvec, kept as a pointer to its first element so
	// that an Iter stays small to copy. iovs, kvecs and bvecs read it.
	array unsafe.Pointer
	nsegs int

	as   usercopy.Mem // the AddressSpace, with Base, End and the pointer to Base read at import
	ubuf Iovec        // KindUbuf's one segment
}

func (it *Iter) iovs() []Iovec   { return unsafe.Slice((*Iovec)(it.array), it.nsegs) }
func (it *Iter) kvecs() [][]byte { return unsafe.Slice((*[]byte)(it.array), it.nsegs) }
func (it *Iter) bvecs() []Bvec   { return unsafe.Slice((*Bvec)(it.array), it.nsegs) }

// NewKvec returns an iterator over Go byte slices. It keeps segs: change
// the bytes, not the slices (see Bad use in the package documentation).
func NewKvec(dir Dir, segs [][]byte) Iter {
	n := kvecLen(dir, segs)
	return Iter{kind: KindKvec, dir: dir, array: unsafe.Pointer(unsafe.SliceData(segs)), nsegs: len(segs), count: n}
}

// kvecLen checks dir and returns the bytes in segs; kept out of line, it
// leaves NewKvec small enough to inline.
func kvecLen(dir Dir, segs [][]byte) int {
	checkDir(dir)
	n := 0
	for _, s := range segs {
		n += len(s)
	}
	return n
}

// NewBvec returns an iterator over parts of pages. It keeps segs (change
// the bytes, not the segments) and panics if a segment does not lie within
// its page or has bytes but no page.
func NewBvec(dir Dir, segs []Bvec) Iter {
	n := 0
	for i, s := range segs {
		if s.Offset < 0 || s.Len < 0 || s.Offset > PageSize-s.Len || (s.Page == nil && s.Len > 0) {
			panic(fmt.Sprintf("iter: NewBvec: segment %d (offset %d, length %d) does not fit its page", i, s.Offset, s.Len))
		}
		n += s.Len
	}
	return Iter{kind: KindBvec, dir: checkDir(dir), array: unsafe.Pointer(unsafe.SliceData(segs)), nsegs: len(segs), count: n}
}

// NewDiscard returns a Dest iterator that takes n bytes and drops them, as
// Linux's iov_iter_discard. It panics if n is negative.
func NewDiscard(n int) Iter {
	if n < 0 {
		panic("iter: NewDiscard: negative count")
	}
	return Iter{kind: KindDiscard, dir: Dest, count: n}
}

func checkDir(d Dir) Dir {
	if d != Dest && d != Source {
		panic(fmt.Sprintf("iter: bad direction %v", d))
	}
	return d
}

// Count returns the number of bytes left.
func (it *Iter) Count() int { return it.count }

// Kind returns the kind of memory the iterator walks.
func (it *Iter) Kind() Kind { return it.kind }

// Dir returns the iterator's direction.
func (it *Iter) Dir() Dir { return it.dir }

// NrSegs returns the number of segments from the current one to the last,
// as Linux's nr_segs: always 1 for KindUbuf and 0 for KindDiscard.
func (it *Iter) NrSegs() int {
	switch it.kind {
	case KindUbuf:
		return 1
	case KindDiscard:
		return 0
	}
	return it.segs() - it.seg
}

// segs returns the number of segments.
func (it *Iter) segs() int {
	switch it.kind {
	case KindUbuf:
		return 1
	case KindDiscard:
		return 0
	}
	return it.nsegs
}

// segLen returns the length of segment i.
func (it *Iter) segLen(i int) int {
	switch it.kind {
	case KindUbuf:
		return int(it.ubuf.Len)
	case KindIovec:
		return int(it.iovs()[i].Len)
	case KindKvec:
		return len(it.kvecs()[i])
	case KindBvec:
		return it.bvecs()[i].Len
	}
	return 0
}

// user reports whether the iterator walks user memory.
func (it *Iter) user() bool { return it.kind == KindUbuf || it.kind == KindIovec }

// userAddr returns the user address off bytes into segment seg.
func (it *Iter) userAddr(seg, off int) uintptr {
	if it.kind == KindUbuf {
		return it.ubuf.Base + uintptr(off)
	}
	return it.iovs()[seg].Base + uintptr(off)
}

// mem returns k bytes of Go memory off bytes into segment seg, with no
// room beyond them (a reader or writer handed them cannot reach further).
func (it *Iter) mem(seg, off, k int) []byte {
	if it.kind == KindKvec {
		return it.kvecs()[seg][off : off+k : off+k]
	}
	b := &it.bvecs()[seg]
	return b.Page[b.Offset+off : b.Offset+off+k : b.Offset+off+k]
}

// each calls f for every non-empty piece of the next n bytes (n <= Count),
// in order: the segment, the offset in it and the piece's length. It stops
// when f returns false. It does not move the iterator.
func (it *Iter) each(n int, f func(seg, off, k int) bool) {
	seg, off, segs := it.seg, it.off, it.segs()
	for n > 0 && seg < segs {
		if k := min(it.segLen(seg)-off, n); k > 0 {
			if !f(seg, off, k) {
				return
			}
			n -= k
		}
		seg, off = seg+1, 0
	}
}

// walk runs o over the next n bytes, clamped to Count, advances the
// iterator past the bytes o moved and returns their count. It applies o to
// each piece of Go memory, or to each piece of user memory under one fault
// guard, where a fault or a short step ends the walk. KindDiscard has no
// memory: o only counts.
func (it *Iter) walk(n int, o *op) int {
	n = clampCount(n, it.count)
	switch {
	case n == 0:
		return 0
	case it.kind == KindDiscard:
		o.discard(n)
		it.count -= n
		it.off += n // what Revert may undo
		return n
	case it.user():
		return it.userPieces(n, o)
	}
	seg, off := it.memPieces(n, o)
	it.count -= n
	it.settle(seg, off)
	return n
}

// memPieces applies o to the pieces of Go memory that hold the next n > 0
// bytes, in order, and returns the position after them. Go memory never
// faults, so it keeps the position to itself.
func (it *Iter) memPieces(n int, o *op) (seg, off int) {
	seg, off = it.seg, it.off
	var kv [][]byte
	var bv []Bvec
	if it.kind == KindKvec {
		kv = it.kvecs()
	} else {
		bv = it.bvecs()
	}
	for {
		var b []byte
		if it.kind == KindKvec {
			b = kv[seg][off:]
		} else if v := &bv[seg]; off < v.Len { // an empty segment may have no page
			b = v.Page[v.Offset+off : v.Offset+v.Len]
		}
		if k := min(len(b), n); k > 0 {
			o.mem(b[:k])
			if n -= k; n == 0 {
				return seg, off + k
			}
		}
		seg, off = seg+1, 0
	}
}

// copyToKvec is CopyTo into a Kvec, the hottest op: what walk and
// memPieces do for it, in a loop as tight as a bare loop of copy(). The
// loop carries the next segment whole and one count of bytes copied, and
// only the first segment is sliced at an offset: this shape took 4% off a
// 3 × 500-byte copy and 10% off 1024 × 1 byte against slicing every
// segment at its offset and src at what is left (docs/performance.md).
func (it *Iter) copyToKvec(src []byte) int {
	n := min(len(src), it.count)
	if n == 0 {
		return 0
	}
	src = src[:n]
	kv, seg, off := it.kvecs(), it.seg, it.off
	s, d := kv[seg][off:], 0
	for {
		k := copy(s, src[d:])
		if d += k; d == n {
			off += k
			break
		}
		seg, off = seg+1, 0
		s = kv[seg]
	}
	// Settle as settle does: past the end of seg and any empty segments.
	for seg < len(kv) && off == len(kv[seg]) {
		seg, off = seg+1, 0
	}
	it.seg, it.off, it.count = seg, off, it.count-n
	return n
}

// userPieces applies o to the user memory that holds the next n bytes (at
// most Count), under a fault guard of its own (usercopy.Mem.Walk): a fault in
// user memory ends the walk, and o's counters say how far it got. It
// advances past what it moved and returns that.
//
// The segments go to Walk as they are (userSegs).
func (it *Iter) userPieces(n int, o *op) int {
	seg, off, ok, _ := it.as.Walk(o.what, it.userSegs(), it.off, n, o.buf, &o.sum, &o.done)
	if ok {
		it.seg, it.off, it.count = it.seg+seg, off, it.count-n
		return n
	}
	n = o.done
	it.count -= n
	it.settle(it.seg, it.off+n)
	return n
}

// userSegs returns the user segments from the current one on: KindUbuf's
// one, or the iovecs, which are usercopy.Segs in all but name (the
// conversion below makes the compiler check that).
func (it *Iter) userSegs() []usercopy.Seg {
	if it.kind == KindUbuf {
		return (*[1]usercopy.Seg)(unsafe.Pointer(&it.ubuf))[:]
	}
	return unsafe.Slice((*usercopy.Seg)(it.array), it.nsegs)[it.seg:]
}

var _ = usercopy.Seg(Iovec{})

// clampCount returns n, at most count; a negative n is a programming error.
func clampCount(n, count int) int {
	if n < 0 {
		panic("iter: negative count")
	}
	return min(n, count)
}

// consume advances past the n bytes an operation moved and returns n. Like
// Linux, an operation that moved nothing leaves the position alone.
func (it *Iter) consume(n int) int {
	if n > 0 {
		it.Advance(n)
	}
	return n
}

// Advance moves the position n bytes forward, at most to the end, and then
// past any empty segments (iov_iter_advance). Like Linux, it does nothing
// once Count is 0. A negative n panics.
func (it *Iter) Advance(n int) {
	n = clampCount(n, it.count)
	if it.count == 0 {
		return
	}
	it.count -= n
	it.settle(it.seg, it.off+n)
}

// settle puts the position off bytes into segment seg, or as far into a
// later one, so that it is in the segment holding the next byte: past the
// end of seg and past any empty segments. KindDiscard, which has no
// segments, keeps in off the bytes it has consumed.
func (it *Iter) settle(seg, off int) {
	if it.kind == KindIovec {
		// Advance, and a walk of user memory that stopped short, over
		// iovecs: without segLen's switch per segment.
		for iov := it.iovs(); seg < len(iov) && uint64(off) >= iov[seg].Len; seg++ {
			off -= int(iov[seg].Len)
		}
		it.seg, it.off = seg, off
		return
	}
	for segs := it.segs(); seg < segs; seg++ {
		l := it.segLen(seg)
		if off < l {
			break
		}
		off -= l
	}
	it.seg, it.off = seg, off
}

// Revert moves the position n bytes back (iov_iter_revert), undoing Advance
// or a copy. It panics if n is negative or more than the bytes consumed so
// far, for every kind (KindDiscard too, though it has no memory).
func (it *Iter) Revert(n int) {
	if n < 0 {
		panic("iter: Revert: negative count")
	}
	if n == 0 {
		return
	}
	if it.kind == KindDiscard {
		if n > it.off {
			panic(fmt.Sprintf("iter: Revert(%d): only %d bytes were consumed", n, it.off))
		}
		it.off -= n
		it.count += n
		return
	}
	left := n
	if left <= it.off {
		it.off -= left
		it.count += n
		return
	}
	left -= it.off
	for seg := it.seg - 1; seg >= 0; seg-- {
		l := it.segLen(seg)
		if left <= l {
			it.seg, it.off = seg, l-left
			it.count += n
			return
		}
		left -= l
	}
	panic("iter: Revert: moving back past the first segment")
}

// Truncate lowers the count to n if it is higher (iov_iter_truncate). It
// panics if n is negative.
func (it *Iter) Truncate(n int) {
	if n < 0 {
		panic("iter: Truncate: negative count")
	}
	it.count = min(it.count, n)
}

// Reexpand sets the count to n (iov_iter_reexpand), undoing a Truncate. It
// panics if n is negative or more than the bytes the segments hold from the
// position (Linux leaves that to its caller; here no walk may ever pass the
// end of the segments), so a zero Iter, which has none, can only be
// reexpanded to 0. KindDiscard, which has no memory, takes any n.
func (it *Iter) Reexpand(n int) {
	if n < 0 {
		panic("iter: Reexpand: negative count")
	}
	if it.kind != KindDiscard {
		if h := it.held(it.seg, it.off); n > h {
			panic(fmt.Sprintf("iter: Reexpand(%d): the segments hold only %d bytes from the position", n, h))
		}
	}
	it.count = n
}

// held returns the bytes the segments hold from off bytes into segment seg,
// or -1 if that is not a position in them (the end of the last segment is
// one).
func (it *Iter) held(seg, off int) int {
	segs := it.segs()
	if seg < 0 || off < 0 || seg > segs || seg == segs && off > 0 || seg < segs && off > it.segLen(seg) {
		return -1
	}
	h := -off
	for i := seg; i < segs; i++ {
		h += it.segLen(i)
	}
	return h
}

// State is a saved position of an iterator (Linux's iov_iter_state).
type State struct {
	seg, off, count int
}

// Save returns the iterator's position for Restore.
func (it *Iter) Save() State { return State{it.seg, it.off, it.count} }

// Restore returns the iterator to a position Save returned for it, undoing
// any advance, revert or truncation since. It panics if s is not a
// position in the iterator's segments with at most the bytes they hold from
// there: a State of another iterator, say. It walks the segments from that
// position to check, where Linux takes the caller's word.
func (it *Iter) Restore(s State) {
	if it.kind == KindDiscard {
		if s.seg != 0 || s.off < 0 || s.count < 0 {
			panic(fmt.Sprintf("iter: Restore: %+v is not a state of a KindDiscard iterator", s))
		}
	} else if h := it.held(s.seg, s.off); h < 0 || s.count < 0 || s.count > h {
		panic(fmt.Sprintf("iter: Restore: %+v is not a state of this iterator (%d segments)", s, it.segs()))
	}
	it.seg, it.off, it.count = s.seg, s.off, s.count
}

// Dup returns an independent copy of the iterator: its segments too are
// copied (dup_iter), so that the two can be changed apart.
func (it *Iter) Dup() Iter {
	d := *it
	switch it.kind {
	case KindIovec:
		d.array = unsafe.Pointer(unsafe.SliceData(slices.Clone(it.iovs())))
	case KindKvec:
		d.array = unsafe.Pointer(unsafe.SliceData(slices.Clone(it.kvecs())))
	case KindBvec:
		d.array = unsafe.Pointer(unsafe.SliceData(slices.Clone(it.bvecs())))
	}
	return d
}

// SingleSegCount returns the bytes left in the current segment, at most
// Count (iov_iter_single_seg_count).
func (it *Iter) SingleSegCount() int {
	if it.kind == KindDiscard || it.seg >= it.segs() {
		return it.count
	}
	return min(it.count, it.segLen(it.seg)-it.off)
}

// pageSize is the system's page size: the granularity of faults.
var pageSize = unix.Getpagesize()
