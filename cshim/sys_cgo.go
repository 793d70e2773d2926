//go:build cgo && linux

package cshim

/*
#include <stddef.h>
#include <sys/mman.h>

// These calls change mappings only: no C code ever reads or writes the
// memory, because a fault inside C cannot be recovered.

static void *cshim_reserve(size_t n) {
	void *p = mmap(NULL, n, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

static int cshim_map(void *p, size_t n, int prot) {
	void *q = mmap(p, n, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
	return q == MAP_FAILED ? -1 : 0;
}

// cshim_unmap takes access away first, so that no store can bring a page
// back between the two calls, then drops the contents.
static int cshim_unmap(void *p, size_t n) {
	if (mprotect(p, n, PROT_NONE) != 0) return -1;
	return madvise(p, n, MADV_DONTNEED);
}
*/
import "C"

import "unsafe"

func sysReserve(n uintptr) (unsafe.Pointer, error) {
	p, err := C.cshim_reserve(C.size_t(n))
	if p == nil {
		return nil, err
	}
	return p, nil
}

func sysMap(p unsafe.Pointer, n uintptr, prot Prot) error {
	if r, err := C.cshim_map(p, C.size_t(n), C.int(prot)); r != 0 {
		return err
	}
	return nil
}

func sysProtect(p unsafe.Pointer, n uintptr, prot Prot) error {
	if r, err := C.mprotect(p, C.size_t(n), C.int(prot)); r != 0 {
		return err
	}
	return nil
}

func sysUnmap(p unsafe.Pointer, n uintptr) error {
	if r, err := C.cshim_unmap(p, C.size_t(n)); r != 0 {
		return err
	}
	return nil
}

func sysRelease(p unsafe.Pointer, n uintptr) error {
	if r, err := C.munmap(p, C.size_t(n)); r != 0 {
		return err
	}
	return nil
}
