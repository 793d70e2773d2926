//go:build amd64 && gc && !purego && !race

package usercopy

import "unsafe"

// nocacheMin is the shortest piece copyNT is used for.
const nocacheMin = 64

// moveNocache copies src to dst, which has the same length and does not
// overlap it, storing past the cache: copyNT for pieces of nocacheMin bytes
// or more, copy below that. Race builds use copy, whose accesses to Go
// memory the race detector sees.
func moveNocache(dst, src []byte) {
	if len(src) < nocacheMin || len(dst) != len(src) {
		copy(dst, src)
		return
	}
	copyNT(unsafe.Pointer(unsafe.SliceData(dst)), unsafe.Pointer(unsafe.SliceData(src)), len(src))
}

// copyNT copies n >= 32 bytes from src to dst, which do not overlap, with
// non-temporal stores (MOVNTDQ) for all but the first and last 16 bytes, and
// ends with SFENCE. It loads and stores only inside the n bytes of each
// side, and prefetches nothing. The first access is a load of src. It equals
// copy(unsafe.Slice((*byte)(dst), n), unsafe.Slice((*byte)(src), n)).
//
//go:noescape
func copyNT(dst, src unsafe.Pointer, n int)
