//go:build linux

package cshim

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"unsafe"
)

// Prot is the protection of a page: ProtNone, ProtRead, ProtWrite or
// ProtRead|ProtWrite. Its bits have the values of Linux's PROT_READ and
// PROT_WRITE on every architecture.
type Prot int

const (
	ProtNone  Prot = 0   // no access: any load or store faults
	ProtRead  Prot = 0x1 // loads succeed
	ProtWrite Prot = 0x2 // stores succeed; on most CPUs this implies ProtRead
)

func (p Prot) String() string {
	switch p {
	case ProtNone:
		return "ProtNone"
	case ProtRead:
		return "ProtRead"
	case ProtWrite:
		return "ProtWrite"
	case ProtRead | ProtWrite:
		return "ProtRead|ProtWrite"
	}
	return fmt.Sprintf("Prot(%#x)", int(p))
}

// ErrClosed is returned (wrapped) by every method that changes a Space after
// it has been closed.
var ErrClosed = errors.New("cshim: space is closed")

// guardBand is how much inaccessible memory is reserved on each side of a
// Space beyond [Base, End): it can never be mapped, so code that strays a
// little outside the space faults instead of reaching other memory.
const guardBand = 64 << 10

// pageSize is the system page size: the unit of Map, Protect and Unmap.
var pageSize = uintptr(os.Getpagesize())

// Space is one range of reserved virtual memory, [Base, End), standing for a
// process's user address space. When created every page is inaccessible;
// Map, Protect and Unmap change that page by page.
//
// The methods may be called from several goroutines at once, except Close,
// which must not run concurrently with any other method nor with code still
// using the memory. Base and End are plain arithmetic and stay valid after
// Close; Pointer then returns nil, which iter and usercopy take to mean that
// every address of the space is unmapped.
type Space struct {
	mem   unsafe.Pointer // start of the reservation, guard band included; nil once closed
	size  uintptr        // of the reservation
	guard uintptr        // bytes of guard band before base
	base  uintptr        // first usable address
	end   uintptr        // one past the last
}

// NewSpace reserves size bytes of address space, rounded up to whole pages,
// plus an inaccessible guard band on each side. No page is accessible yet:
// call Map. The memory is reserved with MAP_NORESERVE, so a large Space costs
// nothing until its pages are used.
func NewSpace(size int) (*Space, error) {
	if size <= 0 {
		return nil, fmt.Errorf("cshim: NewSpace(%d): size must be positive: %w", size, syscall.EINVAL)
	}
	guard := roundUp(guardBand)
	n := roundUp(uintptr(size))
	total := n + 2*guard
	if n < uintptr(size) || total < n || total > uintptr(maxInt) {
		return nil, fmt.Errorf("cshim: NewSpace(%d): size too large: %w", size, syscall.ENOMEM)
	}
	mem, err := sysReserve(total)
	if err != nil {
		return nil, fmt.Errorf("cshim: NewSpace(%d): mmap: %w", size, err)
	}
	base := uintptr(mem) + guard
	return &Space{mem: mem, size: total, guard: guard, base: base, end: base + n}, nil
}

const maxInt = int(^uint(0) >> 1)

// roundUp rounds n up to a multiple of the page size; it returns a value
// smaller than n if that overflows.
func roundUp(n uintptr) uintptr { return (n + pageSize - 1) &^ (pageSize - 1) }

// Base returns the lowest address of the space. It is page-aligned and, being
// an mmap address, at least 64 KiB.
func (s *Space) Base() uintptr { return s.base }

// End returns one past the highest address of the space: the limit that an
// iterator's import checks against, as Linux's access_ok checks against
// TASK_SIZE. It is page-aligned.
func (s *Space) End() uintptr { return s.end }

// Map makes the n bytes of pages at addr usable with protection prot, as
// mmap(2) with MAP_FIXED would: the pages are new and read as zeros, whatever
// they held before. addr and n must be page-aligned and the range must lie
// inside the space.
func (s *Space) Map(addr uintptr, n int, prot Prot) error {
	p, err := s.pages("Map", addr, n, prot)
	if err != nil {
		return err
	}
	return s.wrap("Map", addr, n, "mmap", sysMap(p, uintptr(n), prot))
}

// Protect changes the protection of the n bytes of pages at addr to prot,
// keeping their contents (mprotect(2)). Protecting a page that was never
// mapped readable or writable makes it usable, holding zeros.
func (s *Space) Protect(addr uintptr, n int, prot Prot) error {
	p, err := s.pages("Protect", addr, n, prot)
	if err != nil {
		return err
	}
	return s.wrap("Protect", addr, n, "mprotect", sysProtect(p, uintptr(n), prot))
}

// Unmap makes the n bytes of pages at addr inaccessible again and drops
// their contents: a later Map or Protect finds zeros.
func (s *Space) Unmap(addr uintptr, n int) error {
	p, err := s.pages("Unmap", addr, n, ProtNone)
	if err != nil {
		return err
	}
	return s.wrap("Unmap", addr, n, "mprotect/madvise", sysUnmap(p, uintptr(n)))
}

// Close releases the whole space. Every later call that would change it
// returns an error wrapping ErrClosed, Pointer returns nil and Bytes panics.
// Iterators imported from the space before Close see every address as
// unmapped: their copies move nothing, and new imports of non-empty ranges
// fail with EFAULT.
func (s *Space) Close() error {
	if s.mem == nil {
		return fmt.Errorf("cshim: Close: %w", ErrClosed)
	}
	if err := sysRelease(s.mem, s.size); err != nil {
		return fmt.Errorf("cshim: Close: munmap: %w", err)
	}
	s.mem = nil
	return nil
}

// Bytes returns the n bytes at addr as a slice, for setting up and checking
// tests. Reading or writing the slice is subject to the pages' protection:
// touching a page that is not mapped or is PROT_NONE faults, and such a
// fault kills the process: only the iterator's own copies, which run under a
// fault guard, survive one. Look at such pages through an iterator instead.
// Bytes panics if the range is not inside the space, n is negative or the
// space is closed.
func (s *Space) Bytes(addr uintptr, n int) []byte {
	if s.mem == nil || n < 0 || addr < s.base || addr > s.end || uintptr(n) > s.end-addr {
		panic(fmt.Sprintf("cshim: Bytes(%#x, %d): not inside the space [%#x, %#x)%s",
			addr, n, s.base, s.end, closedNote(s)))
	}
	return unsafe.Slice((*byte)(unsafe.Add(s.mem, s.guard+(addr-s.base))), n)
}

func closedNote(s *Space) string {
	if s.mem == nil {
		return ", which is closed"
	}
	return ""
}

// Pointer returns the memory at addr, an address in [Base, End), as a
// pointer derived from the mapping: Pointer(addr+k) is
// unsafe.Add(Pointer(addr), k). It returns nil for an address outside the
// space and for every address after Close. Pointer is the method
// iter.AddressSpace requires.
func (s *Space) Pointer(addr uintptr) unsafe.Pointer {
	if s.mem == nil || addr < s.base || addr >= s.end {
		return nil
	}
	return unsafe.Add(s.mem, s.guard+(addr-s.base))
}

// pages checks the arguments of Map, Protect and Unmap and returns the
// memory at addr.
func (s *Space) pages(op string, addr uintptr, n int, prot Prot) (unsafe.Pointer, error) {
	bad := func(why string, errno syscall.Errno) error {
		return fmt.Errorf("cshim: %s(%#x, %d, %v): %s: %w", op, addr, n, prot, why, errno)
	}
	switch {
	case s.mem == nil:
		return nil, fmt.Errorf("cshim: %s(%#x, %d): %w", op, addr, n, ErrClosed)
	case prot&^(ProtRead|ProtWrite) != 0:
		return nil, bad("bad protection", syscall.EINVAL)
	case n <= 0:
		return nil, bad("length must be positive", syscall.EINVAL)
	case addr&(pageSize-1) != 0:
		return nil, bad("address is not page-aligned", syscall.EINVAL)
	case uintptr(n)&(pageSize-1) != 0:
		return nil, bad("length is not a multiple of the page size", syscall.EINVAL)
	case addr < s.base || addr >= s.end || uintptr(n) > s.end-addr:
		return nil, bad(fmt.Sprintf("not inside the space [%#x, %#x)", s.base, s.end), syscall.ENOMEM)
	}
	return unsafe.Add(s.mem, s.guard+(addr-s.base)), nil
}

// wrap describes an error from the system call call made for op.
func (s *Space) wrap(op string, addr uintptr, n int, call string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("cshim: %s(%#x, %d): %s: %w", op, addr, n, call, err)
}
