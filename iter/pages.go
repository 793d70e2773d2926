package iter

import (
	"fmt"
	"sync"
	"syscall"
	"unsafe"

	"github.com/iovkit/iovkit/internal/usercopy"
)

// addrOf returns the address off bytes into segment seg: the user address,
// the Go address of a KindKvec byte, or the offset in its page of a
// KindBvec byte (as Linux uses bv_offset).
func (it *Iter) addrOf(seg, off int) uintptr {
	switch it.kind {
	case KindKvec:
		return uintptr(unsafe.Pointer(&it.kvecs()[seg][off]))
	case KindBvec:
		return uintptr(it.bvecs()[seg].Offset + off)
	}
	return it.userAddr(seg, off)
}

// Alignment returns the bitwise OR of the start address and the length of
// every piece left (iov_iter_alignment), so that a caller can test, say,
// Alignment()&511 == 0 for direct I/O. KindBvec pieces count their offset
// in the page; KindDiscard returns 0.
func (it *Iter) Alignment() uintptr {
	var res uintptr
	it.each(it.count, func(seg, off, k int) bool {
		res |= it.addrOf(seg, off) | uintptr(k)
		return true
	})
	return res
}

// GapAlignment returns the bitwise OR of the start of every non-empty
// segment after the first and the end of the one before it
// (iov_iter_gap_alignment), over whole segments from the current one to
// the end of Count. It is 0 for KindUbuf; for KindBvec and KindDiscard,
// where Linux does not define it, all bits are set. KindKvec segments count
// their Go addresses.
func (it *Iter) GapAlignment() uintptr {
	switch it.kind {
	case KindUbuf:
		return 0
	case KindBvec, KindDiscard:
		return ^uintptr(0)
	}
	var res, prevEnd uintptr
	first := true
	for seg, size := it.seg, it.count; seg < it.segs() && size > 0; seg++ {
		l := it.segLen(seg)
		if l == 0 {
			continue
		}
		base := it.addrOf(seg, 0)
		if !first {
			res |= base | prevEnd
		}
		first, prevEnd = false, base+uintptr(l)
		size -= l
	}
	return res
}

// NPages returns how many pages the bytes left span, at most max
// (iov_iter_npages): a page for every PageSize-aligned block a piece
// touches, so one for each non-empty KindBvec piece. A negative max panics.
func (it *Iter) NPages(max int) int {
	if max < 0 {
		panic("iter: NPages: negative max")
	}
	npages := 0
	it.each(it.count, func(seg, off, k int) bool {
		p := it.addrOf(seg, off)
		npages += int((p+uintptr(k)+PageSize-1)/PageSize - p/PageSize)
		return npages < max
	})
	return min(npages, max)
}

// first returns the first non-empty piece of the next n bytes.
func (it *Iter) first(n int) (seg, off, k int) {
	it.each(n, func(s, o, l int) bool {
		seg, off, k = s, o, l
		return false
	})
	return
}

// GetPages fills pages with the pages that hold the next bytes, as many as
// fit in pages and at most maxsize bytes, from the first non-empty segment
// only (iov_iter_get_pages). It returns the bytes they cover from start, the
// offset in the first page, and does not advance. For user memory it probes
// every page (readable for a Source, writable for a Dest; nothing changes)
// and stops at the first bad one, or at the first that does not lie wholly
// inside the space (whose Base or End may fall inside a page): EFAULT if
// that is the first. The pages of user memory are not pinned: the caller
// keeps the mapping as it is while it uses them, because touching a *Page
// whose user page has been protected or unmapped since faults outside any
// guard, and that kills the process. KindKvec and KindDiscard have no
// pages: EFAULT. A negative maxsize panics.
func (it *Iter) GetPages(pages []*Page, maxsize int) (n, start int, err error) {
	maxsize = clampCount(maxsize, it.count)
	if maxsize == 0 || len(pages) == 0 {
		return 0, 0, nil
	}
	seg, off, k := it.first(maxsize)
	switch it.kind {
	case KindBvec:
		b := it.bvecs()[seg]
		pages[0] = b.Page
		return k, b.Offset + off, nil
	case KindUbuf, KindIovec:
		addr := it.userAddr(seg, off)
		start = int(addr % PageSize)
		k = min(k, len(pages)*PageSize-start)
		pageStart := addr - uintptr(start)
		probe := usercopy.Readable
		if it.dir == Dest {
			probe = usercopy.Writeable
		}
		// Only whole pages of the space: none that starts below Base,
		// none that ends past End.
		if lim := it.as.End() &^ (PageSize - 1); pageStart >= it.as.Base() && lim > addr {
			n = probe(it.as.Space, addr, min(k, int(lim-addr)))
		}
		if n == 0 {
			return 0, 0, fmt.Errorf("iter: GetPages: page at %#x is not accessible: %w", pageStart, syscall.EFAULT)
		}
		for i := 0; i*PageSize < start+n; i++ {
			pages[i] = (*Page)(it.as.Pointer(pageStart + uintptr(i*PageSize)))
		}
		return n, start, nil
	}
	return 0, 0, fmt.Errorf("iter: GetPages: a %v iterator has no pages: %w", it.kind, syscall.EFAULT)
}

// GetPagesAlloc is GetPages into a slice it allocates, as long as the first
// non-empty segment needs (iov_iter_get_pages_alloc). Its pages and errors
// are GetPages's; a negative maxsize panics.
func (it *Iter) GetPagesAlloc(maxsize int) (pages []*Page, n, start int, err error) {
	maxsize = clampCount(maxsize, it.count)
	if maxsize == 0 {
		return nil, 0, 0, nil
	}
	seg, off, k := it.first(maxsize)
	npages := 1
	if it.user() {
		addr := it.userAddr(seg, off)
		npages = int((addr+uintptr(k)+PageSize-1)/PageSize - addr/PageSize)
	}
	pages = make([]*Page, npages)
	n, start, err = it.GetPages(pages, maxsize)
	if err != nil {
		return nil, 0, 0, err
	}
	return pages[:(start+n+PageSize-1)/PageSize], n, start, nil
}

// PagePool hands out pages aligned to PageSize for KindBvec segments and
// takes them back. The zero value is ready to use; it is safe for
// concurrent use.
type PagePool struct {
	pool sync.Pool
}

// pagesPerChunk is how many pages the pool allocates at once.
const pagesPerChunk = 16

// Get returns a zeroed page.
func (p *PagePool) Get() *Page {
	if pg, ok := p.pool.Get().(*Page); ok {
		clear(pg[:])
		return pg
	}
	// Carve aligned pages out of one allocation; each page keeps the
	// whole chunk alive.
	chunk := make([]byte, (pagesPerChunk+1)*PageSize)
	skip := (PageSize - int(uintptr(unsafe.Pointer(&chunk[0]))%PageSize)) % PageSize
	for i := 1; i < pagesPerChunk; i++ {
		p.pool.Put((*Page)(chunk[skip+i*PageSize:]))
	}
	return (*Page)(chunk[skip:])
}

// Put returns a page to the pool. The caller must not use it afterwards.
func (p *PagePool) Put(pg *Page) {
	if pg != nil {
		p.pool.Put(pg)
	}
}
