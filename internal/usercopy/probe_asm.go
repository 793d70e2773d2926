//go:build (amd64 || arm64) && gc && !purego

package usercopy

import "unsafe"

// probeExact: the probe touches the byte it is given.
const probeExact = true

// probeWrite proves the page of user address addr writable; a page that is
// not faults.
func (w window) probeWrite(addr uintptr) (fault uintptr, ok bool) {
	probeWriteByte(w.at(addr))
	return 0, true
}

// probeWriteByte atomically ORs zero into the byte at p: a store that
// faults on a page that is not writable and changes nothing otherwise, even
// under concurrent stores. It is assembly rather than sync/atomic because
// under the race detector sync/atomic runs in C (ThreadSanitizer), where a
// fault cannot be recovered.
//
//go:noescape
func probeWriteByte(p unsafe.Pointer)
