//go:build !cgo && linux

package cshim

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

const mapFlags = unix.MAP_PRIVATE | unix.MAP_ANONYMOUS | unix.MAP_NORESERVE

func sysReserve(n uintptr) (unsafe.Pointer, error) {
	return unix.MmapPtr(-1, 0, nil, n, unix.PROT_NONE, mapFlags)
}

func sysMap(p unsafe.Pointer, n uintptr, prot Prot) error {
	_, err := unix.MmapPtr(-1, 0, p, n, int(prot), mapFlags|unix.MAP_FIXED)
	return err
}

func sysProtect(p unsafe.Pointer, n uintptr, prot Prot) error {
	return unix.Mprotect(unsafe.Slice((*byte)(p), n), int(prot))
}

// sysUnmap takes access away first, so that no store can bring a page back
// between the two calls, then drops the contents.
func sysUnmap(p unsafe.Pointer, n uintptr) error {
	b := unsafe.Slice((*byte)(p), n)
	if err := unix.Mprotect(b, unix.PROT_NONE); err != nil {
		return err
	}
	return unix.Madvise(b, unix.MADV_DONTNEED)
}

func sysRelease(p unsafe.Pointer, n uintptr) error { return unix.MunmapPtr(p, n) }
