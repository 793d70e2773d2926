package iter

import (
	"fmt"

	"github.com/iovkit/iovkit/csum"
	"github.com/iovkit/iovkit/internal/cachesize"
	"github.com/iovkit/iovkit/internal/usercopy"
)

// An op is one operation on the iterator's memory, applied piece by piece
// by walk: what to do, the Go memory on the other side of a copy, the count
// of bytes moved and, for a checksumming op, their sum, which do adds to
// the caller's State when the op ends.
type op struct {
	what opKind
	buf  []byte   // the other side of a copy
	done int      // bytes moved so far
	sum  csum.Sum // the sum of those bytes, as a block from offset 0
}

// opKind is what an op does. On user memory it is the usercopy op of the
// same name, which userPieces hands to usercopy.Mem.Walk as it is.
type opKind = usercopy.Op

const (
	opCopyTo          = usercopy.OpCopyOut
	opCopyFrom        = usercopy.OpCopyIn
	opCopyFromNocache = usercopy.OpCopyInNocache
	opZero            = usercopy.OpClear
	opProbeRead       = usercopy.OpProbeReadable
	opProbeWrite      = usercopy.OpProbeWriteable
	opCsumCopyTo      = usercopy.OpCsumCopyOut
	opCsumCopyFrom    = usercopy.OpCsumCopyIn
	opCsum            = usercopy.OpCsum
)

// mem applies the op to a piece of Go memory, which never faults. CopyTo
// into a Bvec is small enough here to inline into the walk (into a Kvec it
// has copyToKvec).
func (o *op) mem(b []byte) {
	if o.what == opCopyTo {
		o.done += copy(b, o.buf[o.done:])
		return
	}
	o.memOther(b)
}

// memOther applies the ops other than CopyTo to Go memory.
func (o *op) memOther(b []byte) {
	d := o.done
	switch o.what {
	case opCopyFrom:
		copy(o.buf[d:], b)
	case opCopyFromNocache:
		usercopy.MoveNocache(o.buf[d:d+len(b)], b)
	case opZero:
		clear(b)
	case opCsumCopyTo:
		o.sum = csum.BlockAdd(o.sum, csum.Copy(b, o.buf[d:d+len(b)], 0), d)
	case opCsumCopyFrom:
		o.sum = csum.BlockAdd(o.sum, csum.Copy(o.buf[d:d+len(b)], b, 0), d)
	case opCsum:
		o.sum = csum.BlockAdd(o.sum, csum.Partial(b, 0), d)
	}
	o.done += len(b)
}

// discard applies the op to n bytes of a KindDiscard iterator: they are
// taken and dropped, and a checksumming op sums what it drops, as Linux's
// csum_and_copy_to_iter does.
func (o *op) discard(n int) {
	if o.what == opCsumCopyTo {
		o.sum = csum.Partial(o.buf[:n], 0)
	}
	o.done = n
}

// do runs an op over the next n bytes, advances past what it moved and
// returns that. A checksumming op extends st by the bytes it moved.
func (it *Iter) do(n int, what opKind, buf []byte, st *csum.State) int {
	o := op{what: what, buf: buf}
	moved := it.walk(n, &o)
	if st != nil {
		st.Add(o.sum, moved)
	}
	return moved
}

// want panics unless the iterator has direction d.
func (it *Iter) want(d Dir, op string) {
	if it.dir != d {
		panic(fmt.Sprintf("iter: %s on a %v iterator needs a %v one", op, it.dir, d))
	}
}

// CopyTo copies src into the iterator's memory and advances past what it
// copied (copy_to_iter). It copies min(len(src), Count()) bytes unless user
// memory faults, and returns the count. Dest only.
func (it *Iter) CopyTo(src []byte) int {
	it.want(Dest, "CopyTo")
	switch {
	case it.kind == KindKvec:
		return it.copyToKvec(src)
	case it.user():
		return it.copyUser(opCopyTo, src)
	}
	o := op{what: opCopyTo, buf: src} // do, without a State to add to
	return it.walk(len(src), &o)
}

// copyUser is a plain copy, CopyTo or CopyFrom, of user memory: walk's
// work, less its checks, for the kind whose copies cost the most. A copy
// that lies in one page of the current segment, as one of a page or less
// mostly does, is one usercopy.Mem.CopyPiece; any other, or one CopyPiece
// refuses, is walked. The test adds rather than subtracts: a segment that a
// caller has shortened below the position after import (bad use) must not
// pass it.
func (it *Iter) copyUser(what opKind, buf []byte) int {
	n := min(len(buf), it.count)
	if n > 0 {
		seg := it.userSegs()[0]
		if uint64(it.off)+uint64(n) <= seg.Len && it.as.CopyPiece(what == opCopyTo, seg.Base+uintptr(it.off), buf[:n]) {
			it.count -= n
			it.settle(it.seg, it.off+n)
			return n
		}
	}
	o := op{what: what, buf: buf}
	return it.userPieces(n, &o)
}

// CopyFrom copies the iterator's next bytes into dst and advances past them
// (copy_from_iter). It copies min(len(dst), Count()) bytes unless user
// memory faults, and returns the count. Source only.
func (it *Iter) CopyFrom(dst []byte) int {
	it.want(Source, "CopyFrom")
	if it.user() {
		return it.copyUser(opCopyFrom, dst)
	}
	o := op{what: opCopyFrom, buf: dst} // do, without a State to add to
	return it.walk(len(dst), &o)
}

// CopyFromNocache is CopyFrom for data that will not be read again soon
// (copy_from_iter_nocache): a copy of at least half the CPU's L2 cache
// (512 KiB if unknown) stores into dst with non-temporal stores, which
// bypass the cache, where the build has them (amd64, but not with -race or
// -tags purego); a smaller copy is cheaper to keep in cache and is an
// ordinary one. Source only.
func (it *Iter) CopyFromNocache(dst []byte) int {
	it.want(Source, "CopyFromNocache")
	what := opCopyFrom
	if min(len(dst), it.count) >= nocacheMin {
		what = opCopyFromNocache
	}
	return it.do(len(dst), what, dst, nil)
}

// nocacheMin is the smallest copy CopyFromNocache makes past the cache.
var nocacheMin = cachesize.L2 / 2

// Peek copies the iterator's next bytes into dst as CopyFrom does, but does
// not advance (iov_iter_copy_from_user_atomic). Source only.
func (it *Iter) Peek(dst []byte) int {
	c := *it
	return c.CopyFrom(dst)
}

// CopyPageTo copies n bytes of p from off into the iterator
// (copy_page_to_iter). It panics if p is nil or the n bytes at off do not
// fit in a page. Dest only.
func (it *Iter) CopyPageTo(p *Page, off, n int) int {
	return it.CopyTo(pageRange(p, off, n, "CopyPageTo"))
}

// CopyPageFrom copies the iterator's next bytes into p from off, at most n
// (copy_page_from_iter). It panics as CopyPageTo does. Source only.
func (it *Iter) CopyPageFrom(p *Page, off, n int) int {
	return it.CopyFrom(pageRange(p, off, n, "CopyPageFrom"))
}

func pageRange(p *Page, off, n int, op string) []byte {
	if p == nil || off < 0 || n < 0 || off > PageSize-n {
		panic(fmt.Sprintf("iter: %s: %d bytes at %d do not fit a page", op, n, off))
	}
	return p[off : off+n]
}

// Zero writes n zero bytes into the iterator, at most Count, and advances
// past them (iov_iter_zero). It returns how many it wrote. A negative n
// panics. Dest only.
func (it *Iter) Zero(n int) int {
	it.want(Dest, "Zero")
	return it.do(n, opZero, nil, nil)
}

// CsumAndCopyTo copies src into the iterator as CopyTo does and adds the
// bytes it copied to st (csum_and_copy_to_iter). On a fault, st covers
// exactly the bytes reported. A KindDiscard iterator sums what it drops.
// Dest only.
func (it *Iter) CsumAndCopyTo(src []byte, st *csum.State) int {
	it.want(Dest, "CsumAndCopyTo")
	return it.do(len(src), opCsumCopyTo, src, st)
}

// CsumAndCopyFrom copies the iterator's next bytes into dst as CopyFrom does
// and adds them to st (csum_and_copy_from_iter). On a fault, st covers
// exactly the bytes reported. Source only.
func (it *Iter) CsumAndCopyFrom(dst []byte, st *csum.State) int {
	it.want(Source, "CsumAndCopyFrom")
	return it.do(len(dst), opCsumCopyFrom, dst, st)
}

// Csum adds the iterator's next n bytes, at most Count, to st without
// copying them and advances past them. It returns how many it summed. It
// panics on KindDiscard, which has no bytes, and on a negative n.
func (it *Iter) Csum(n int, st *csum.State) int {
	if it.kind == KindDiscard {
		panic("iter: Csum of a KindDiscard iterator, which has no bytes")
	}
	return it.do(n, opCsum, nil, st)
}

// FaultInReadable probes the next n bytes of user memory, at most Count,
// page by page, and returns how many of them could not be read: 0 when all
// can (fault_in_iov_iter_readable). The probe changes nothing and does not
// advance. Go memory always can be read. A negative n panics, for every
// kind.
func (it *Iter) FaultInReadable(n int) int { return it.faultIn(n, opProbeRead) }

// FaultInWriteable is FaultInReadable for writing: it proves each page
// writable without changing a byte (fault_in_iov_iter_writeable).
func (it *Iter) FaultInWriteable(n int) int { return it.faultIn(n, opProbeWrite) }

func (it *Iter) faultIn(n int, what opKind) int {
	n = clampCount(n, it.count)
	if !it.user() {
		return 0
	}
	o := op{what: what}
	c := *it
	return n - c.walk(n, &o)
}
