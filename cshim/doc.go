// Package cshim simulates a process's user address space inside the Go
// process, so that code which copies to and from user memory (the iter
// package's KindIovec and KindUbuf iterators, internal/usercopy) can be made
// to fault at chosen pages.
//
// A [Space] is one range of virtual memory reserved with mmap and left
// inaccessible (PROT_NONE). Tests make pages of it usable with [Space.Map],
// change their protection with [Space.Protect] and take them away again with
// [Space.Unmap], then hand the Space (it satisfies iter.AddressSpace) to the
// code under test. Addresses are uintptr values, as user addresses are in
// the kernel; the only way from an address to Go memory is [Space.Bytes] and
// [Space.Pointer], both derived from the mapping itself, so go vet and the
// race detector's checkptr mode stay clean.
//
// With cgo the memory calls are made in a small C shim (mmap, mprotect,
// madvise, munmap); without cgo the same type is built on
// golang.org/x/sys/unix. C code never touches the memory itself: a fault
// inside C cannot be recovered, while a fault in Go code can
// (runtime/debug.SetPanicOnFault).
//
// Cgo builds also have Memcpy, the C library's memcpy on Go slices, which
// benchmarks use as a bandwidth reference.
//
// cshim is meant for tests, examples and benchmarks; the library itself
// never imports it. It is available on Linux only.
package cshim
