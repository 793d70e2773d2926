//go:build amd64 && gc && !purego && !race

package usercopy

import (
	"unsafe"

	"golang.org/x/sys/cpu"
)

// moveIsCopy: move has a kernel of its own.
const moveIsCopy = false

// moveMin is the shortest piece copyPrefetch is used for: below it the
// runtime's memmove is as fast.
const moveMin = 128

// move copies src to dst, which has the same length, as copy does. Pieces of
// at least moveMin bytes that do not overlap go through copyPrefetch, which
// prefetches the page after the piece: with user memory copied page by page,
// that keeps the copy streaming as one copy() of the whole range would.
// Race builds use copy, whose accesses to Go memory the race detector sees.
func move(dst, src []byte) {
	n := len(src)
	d, s := unsafe.Pointer(unsafe.SliceData(dst)), unsafe.Pointer(unsafe.SliceData(src))
	if !hasAVX2 || n < moveMin || len(dst) != n || uintptr(d)-uintptr(s) < uintptr(n) || uintptr(s)-uintptr(d) < uintptr(n) {
		copy(dst, src)
		return
	}
	copyPrefetch(d, s, n)
}

// hasAVX2 says whether copyPrefetch can run; without it move is copy.
var hasAVX2 = cpu.X86.HasAVX2

// copyPrefetch copies n >= 128 bytes from src to dst, which do not overlap,
// 32 bytes at a time, and prefetches the 4 KiB after each of them. It equals
// copy(unsafe.Slice((*byte)(dst), n), unsafe.Slice((*byte)(src), n)). Any
// load or store may fault; prefetches never do. It needs AVX2.
//
//go:noescape
func copyPrefetch(dst, src unsafe.Pointer, n int)

// nocacheMin is the shortest piece copyNT is used for.
const nocacheMin = 64

// moveNocache copies src to dst, which has the same length and does not
// overlap it, storing past the cache: copyNT for pieces of nocacheMin bytes
// or more, copy below that.
func moveNocache(dst, src []byte) {
	if len(src) < nocacheMin || len(dst) != len(src) {
		copy(dst, src)
		return
	}
	copyNT(unsafe.Pointer(unsafe.SliceData(dst)), unsafe.Pointer(unsafe.SliceData(src)), len(src))
}

// copyNT copies n >= 32 bytes from src to dst, which do not overlap, with
// non-temporal stores (MOVNTDQ) for all but the first and last 16 bytes, and
// ends with SFENCE. The first access is a load of src. It equals
// copy(unsafe.Slice((*byte)(dst), n), unsafe.Slice((*byte)(src), n)).
//
//go:noescape
func copyNT(dst, src unsafe.Pointer, n int)
