package iter

import (
	"fmt"
	"syscall"
	"unsafe"

	"github.com/iovkit/iovkit/internal/usercopy"
)

// UIOMaxIOV is the most segments an iovec array may have (UIO_MAXIOV).
const UIOMaxIOV = 1024

// MaxRWCount returns the most bytes one read or write moves (MAX_RW_COUNT):
// INT_MAX rounded down to the system's page size, 0x7ffff000 with 4 KiB
// pages. Imports clamp their total to it. It depends on the page size, so
// it cannot be a constant; as a function no importer can change it.
func MaxRWCount() int { return maxRWCount }

// maxRWCount is MaxRWCount's value; tests lower it to see the clamp at work
// on memory they can map.
var maxRWCount = int(0x7fffffff &^ (pageSize - 1))

// ImportIovec checks an iovec array as readv(2) and writev(2) do and
// returns a KindIovec iterator over it (import_iovec). The iterator keeps
// vec: change the bytes it points to, not the iovecs (see Bad use in the
// package documentation). Errors wrap
// syscall.Errno values (test them with errors.Is), found before any byte
// moves and in Linux's order: more than UIOMaxIOV segments or a length
// whose int64 value is negative is EINVAL; a segment whose end wraps around
// or passes End, even an empty one, is EFAULT, and so is any non-empty one
// once as has no memory (Pointer returns nil: a closed cshim.Space). If the
// total passes MaxRWCount, the segment that crosses it is shortened in vec
// and the ones after it emptied, as Linux does; vec is left alone when the
// import fails. Segments may lie on unmapped pages or below Base: copies
// stop there. A nil as is a programming error and panics, in every import.
func ImportIovec(dir Dir, as AddressSpace, vec []Iovec) (Iter, error) {
	needSpace(as)
	if err := checkIovecs(as, vec); err != nil {
		return Iter{}, err
	}
	return importChecked(dir, as, vec), nil
}

// ImportIovecUser reads an array of nrSegs struct iovec from user memory at
// uvec and imports it as ImportIovec does. It reads into scratch when it has
// room for nrSegs (allocating otherwise), and the iterator keeps that
// memory. Its errors wrap errnos as ImportIovec's do: a negative nrSegs or
// more than UIOMaxIOV is EINVAL, and an array that cannot be read whole
// (one in a closed space too) is EFAULT, unless a length read before the
// unreadable part is already negative (EINVAL), as Linux checks the entries
// while reading them.
func ImportIovecUser(dir Dir, as AddressSpace, uvec uintptr, nrSegs int, scratch []Iovec) (Iter, error) {
	needSpace(as)
	vec, err := iovecArray(nrSegs, scratch)
	if err != nil {
		return Iter{}, err
	}
	const size = int(unsafe.Sizeof(Iovec{}))
	raw := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(vec))), len(vec)*size)
	if n := usercopy.CopyIn(raw, as, uvec); n < len(raw) {
		return Iter{}, arrayFault(vec[:n/size])
	}
	return ImportIovec(dir, as, vec)
}

// compatIovec is struct compat_iovec: a 32-bit process's iovec.
type compatIovec struct {
	Base uint32
	Len  uint32
}

// ImportCompatIovecUser is ImportIovecUser for an array of the 32-bit
// struct compat_iovec, as a 64-bit kernel reads it from a 32-bit process: a
// length of 2 GiB or more is negative as a compat_ssize_t, so EINVAL.
func ImportCompatIovecUser(dir Dir, as AddressSpace, uvec uintptr, nrSegs int, scratch []Iovec) (Iter, error) {
	needSpace(as)
	vec, err := iovecArray(nrSegs, scratch)
	if err != nil {
		return Iter{}, err
	}
	// Read the entries in batches through a buffer on the stack and widen
	// them, the length sign-extended so that a negative one stays negative.
	var buf [128]compatIovec
	const size = int(unsafe.Sizeof(compatIovec{}))
	for i := 0; i < nrSegs; {
		batch := buf[:min(len(buf), nrSegs-i)]
		raw := unsafe.Slice((*byte)(unsafe.Pointer(&batch[0])), len(batch)*size)
		n := usercopy.CopyIn(raw, as, uvec+uintptr(i*size))
		for _, c := range batch[:n/size] {
			vec[i] = Iovec{Base: uintptr(c.Base), Len: uint64(int64(int32(c.Len)))}
			i++
		}
		if n < len(raw) {
			return Iter{}, arrayFault(vec[:i])
		}
	}
	return ImportIovec(dir, as, vec)
}

// ImportSingleRange returns a KindUbuf iterator over n bytes of user memory
// at base (import_ubuf). Like Linux it first clamps n to MaxRWCount, then
// checks the range: the error wraps EFAULT if it wraps around or passes
// End, or if n > 0 and as has no memory (a closed cshim.Space).
func ImportSingleRange(dir Dir, as AddressSpace, base uintptr, n uint64) (Iter, error) {
	needSpace(as)
	n = min(n, uint64(maxRWCount))
	if !accessOK(as.End(), base, n) {
		return Iter{}, fmt.Errorf("iter: range of %d bytes at %#x is past the end of the address space: %w", n, base, syscall.EFAULT)
	}
	if n > 0 && !hasMemory(as) {
		return Iter{}, fmt.Errorf("iter: range of %d bytes at %#x: %w", n, base, errNoMemory)
	}
	return Iter{kind: KindUbuf, dir: checkDir(dir), as: usercopy.NewMem(as), ubuf: Iovec{base, n}, count: int(n)}, nil
}

// needSpace panics if as is nil: every import of user memory needs one.
func needSpace(as AddressSpace) {
	if as == nil {
		panic("iter: importing user memory with a nil AddressSpace")
	}
}

// errNoMemory is the error for a non-empty range of an address space that
// has no memory any more.
var errNoMemory = fmt.Errorf("the address space has no memory (closed): %w", syscall.EFAULT)

// hasMemory reports whether as has memory behind its addresses: Pointer
// returns nil for every address once it has not (see AddressSpace).
func hasMemory(as AddressSpace) bool {
	b := as.Base()
	return b >= as.End() || as.Pointer(b) != nil
}

// iovecArray returns room for nrSegs iovecs, from scratch if it has it.
func iovecArray(nrSegs int, scratch []Iovec) ([]Iovec, error) {
	if nrSegs < 0 || nrSegs > UIOMaxIOV {
		return nil, fmt.Errorf("iter: %d segments (at most %d): %w", nrSegs, UIOMaxIOV, syscall.EINVAL)
	}
	if cap(scratch) >= nrSegs {
		return scratch[:nrSegs], nil
	}
	return make([]Iovec, nrSegs), nil
}

// arrayFault is the error for an iovec array that could be read only as far
// as read: EINVAL if a length read already is negative, else EFAULT.
func arrayFault(read []Iovec) error {
	if err := checkLens(read); err != nil {
		return err
	}
	return fmt.Errorf("iter: iovec array %d entries in is unreadable: %w", len(read), syscall.EFAULT)
}

// checkIovecs applies Linux's checks to vec: the count, every length, then
// every range.
func checkIovecs(as AddressSpace, vec []Iovec) error {
	if len(vec) > UIOMaxIOV {
		return fmt.Errorf("iter: %d segments (at most %d): %w", len(vec), UIOMaxIOV, syscall.EINVAL)
	}
	if err := checkLens(vec); err != nil {
		return err
	}
	if len(vec) == 0 {
		return nil
	}
	end, live := as.End(), hasMemory(as)
	for i, v := range vec {
		if !accessOK(end, v.Base, v.Len) {
			return fmt.Errorf("iter: segment %d (%d bytes at %#x) is past the end of the address space: %w",
				i, v.Len, v.Base, syscall.EFAULT)
		}
		if v.Len > 0 && !live {
			return fmt.Errorf("iter: segment %d (%d bytes at %#x): %w", i, v.Len, v.Base, errNoMemory)
		}
	}
	return nil
}

func checkLens(vec []Iovec) error {
	for i, v := range vec {
		if int64(v.Len) < 0 {
			return fmt.Errorf("iter: segment %d has negative length %d: %w", i, int64(v.Len), syscall.EINVAL)
		}
	}
	return nil
}

// accessOK is Linux's access_ok for an address space that ends at end: the
// range [base, base+n) must not wrap around nor pass it. Its start may be
// below Base, where copies fault.
func accessOK(end, base uintptr, n uint64) bool {
	return n <= uint64(end) && uint64(base) <= uint64(end)-n
}

// importChecked builds the iterator over a checked vec, clamping its total
// to MaxRWCount in place.
func importChecked(dir Dir, as AddressSpace, vec []Iovec) Iter {
	total := 0
	for i := range vec {
		if l := min(vec[i].Len, uint64(maxRWCount-total)); l != vec[i].Len {
			vec[i].Len = l
		}
		total += int(vec[i].Len)
	}
	return Iter{kind: KindIovec, dir: checkDir(dir), as: usercopy.NewMem(as), array: unsafe.Pointer(unsafe.SliceData(vec)), nsegs: len(vec), count: total}
}
