//go:build (!(amd64 || arm64) || !gc || purego) && !(race && linux)

package usercopy

import (
	"sync/atomic"
	"unsafe"
)

// probeWrite proves the page of user address addr writable with an atomic
// add of zero to an aligned 32-bit word of that page inside the space (see
// probeWord; where there is none it stops). A page that is not writable
// faults.
func (w window) probeWrite(addr uintptr) (fault uintptr, ok bool) {
	word, ok := w.probeWord(addr)
	if !ok {
		return 0, false
	}
	addZero(w.at(word))
	return 0, true
}

// addZero atomically adds zero to the 32-bit word at p.
//
//go:noinline
func addZero(p unsafe.Pointer) { atomic.AddUint32((*uint32)(p), 0) }
