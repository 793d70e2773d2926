//go:build !(amd64 || arm64) || !gc || purego

package usercopy

import (
	"sync/atomic"
	"unsafe"
)

// probeExact: the probe touches an aligned word of the page, not the byte it
// is given.
const probeExact = false

// probeWrite proves the page of user address addr writable with an atomic
// add of zero to an aligned 32-bit word of that page inside [base, end). It
// returns false if there is no such word (only possible when Base or End is
// not 4-byte aligned and the page holds fewer than 4 bytes of the space).
//
// Under the race detector sync/atomic runs in C, where a fault on a
// read-only page cannot be recovered: race builds with the purego tag must
// not probe read-only pages.
func (g *Guard) probeWrite(addr uintptr) bool {
	page := addr &^ pageMask
	lo := max(page, g.base)
	hi := min(page+pageMask, g.end-1) // last byte, inclusive: cannot overflow
	w := (lo + 3) &^ 3
	if w < lo || w > hi || hi-w < 3 {
		return false
	}
	addZero(g.as.Pointer(w))
	return true
}

// addZero atomically adds zero to the 32-bit word at p.
//
//go:noinline
func addZero(p unsafe.Pointer) { atomic.AddUint32((*uint32)(p), 0) }
