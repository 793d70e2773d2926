//go:build cgo && linux

package cshim

/*
#cgo noescape cshim_memcpy
#cgo nocallback cshim_memcpy
#include <string.h>

static void cshim_memcpy(void *dst, const void *src, size_t n) {
	memcpy(dst, src, n);
}
*/
import "C"

import "unsafe"

// Memcpy copies min(len(dst), len(src)) bytes from src to dst with the C
// library's memcpy and returns the count, as copy does. It is a bandwidth
// reference for benchmarks (the bench module sets Go's copy and the
// checksumming copies beside it), so each call pays cgo's call overhead.
// It exists only in cgo builds.
//
// dst and src must not overlap and must be memory that cannot fault, such
// as Go slices: a fault inside C cannot be recovered, so never pass it
// Space.Bytes of pages that may be inaccessible.
func Memcpy(dst, src []byte) int {
	n := min(len(dst), len(src))
	if n > 0 {
		C.cshim_memcpy(unsafe.Pointer(&dst[0]), unsafe.Pointer(&src[0]), C.size_t(n))
	}
	return n
}
