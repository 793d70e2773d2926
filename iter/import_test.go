package iter

import (
	"errors"
	"slices"
	"syscall"
	"testing"
	"unsafe"
)

// rangeOnly is an address space for import checks alone: it answers the
// import's question whether it has memory (Pointer(Base) is not nil), and
// asking for any other address fails the test.
type rangeOnly struct {
	t         testing.TB
	base, end uintptr
}

// rangeMemory is what rangeOnly's Pointer returns for Base.
var rangeMemory byte

func (s rangeOnly) Base() uintptr { return s.base }
func (s rangeOnly) End() uintptr  { return s.end }
func (s rangeOnly) Pointer(addr uintptr) unsafe.Pointer {
	if addr != s.base {
		s.t.Fatalf("import asked for user memory at %#x", addr)
	}
	return unsafe.Pointer(&rangeMemory)
}

const (
	spaceBase = 0x10000
	spaceEnd  = 0x7fff_ffff_f000
)

// TestImportIovecErrno checks ImportIovec's errors against Linux's, one row
// of inputs at a time: the segment count, then the lengths (EINVAL), then the
// ranges (EFAULT), and the clamp at MaxRWCount.
func TestImportIovecErrno(t *testing.T) {
	as := rangeOnly{t, spaceBase, spaceEnd}
	neg := uint64(1) << 63
	many := make([]Iovec, UIOMaxIOV+1)
	for i := range many {
		many[i] = Iovec{spaceBase, 1}
	}
	for _, tc := range []struct {
		name  string
		vec   []Iovec
		err   error
		count int
		lens  []uint64 // the segment lengths after a successful import
	}{
		{name: "no segments", vec: nil},
		{name: "1024 segments", vec: many[:UIOMaxIOV], count: UIOMaxIOV},
		{name: "1025 segments", vec: many, err: syscall.EINVAL},
		{name: "length -1 in the third segment", vec: []Iovec{{spaceBase, 1}, {spaceBase, 2}, {spaceBase, ^uint64(0)}}, err: syscall.EINVAL},
		{name: "length 2^63", vec: []Iovec{{spaceBase, neg}}, err: syscall.EINVAL},
		{name: "EINVAL before an earlier EFAULT", vec: []Iovec{{spaceEnd, 1}, {spaceBase, neg}}, err: syscall.EINVAL},
		{name: "past End", vec: []Iovec{{spaceEnd - 1, 2}}, err: syscall.EFAULT},
		{name: "up to End", vec: []Iovec{{spaceEnd - 2, 2}}, count: 2},
		{name: "empty at End", vec: []Iovec{{spaceEnd, 0}}},
		{name: "empty past End", vec: []Iovec{{spaceEnd + 1, 0}}, err: syscall.EFAULT},
		{name: "empty at ^0", vec: []Iovec{{^uintptr(0), 0}}, err: syscall.EFAULT},
		{name: "wrapping around", vec: []Iovec{{spaceBase, ^uint64(0) >> 1}}, err: syscall.EFAULT},
		{name: "empty at address 0", vec: []Iovec{{0, 0}, {spaceBase, 3}}, count: 3},
		{name: "below Base", vec: []Iovec{{0x1000, 16}}, count: 16},
		{name: "good, bad, good", vec: []Iovec{{spaceBase, 1}, {spaceEnd, 1}, {spaceBase, 1}}, err: syscall.EFAULT},
		{name: "total past MAX_RW_COUNT", vec: []Iovec{{spaceBase, 0x7fff0000}, {spaceBase, 0x20000}, {spaceBase, 5}},
			count: MaxRWCount(), lens: []uint64{0x7fff0000, uint64(MaxRWCount() - 0x7fff0000), 0}},
		{name: "a range check on the clamped-away segment", vec: []Iovec{{spaceBase, uint64(MaxRWCount())}, {spaceEnd, 1}}, err: syscall.EFAULT},
	} {
		vec := slices.Clone(tc.vec)
		it, err := ImportIovec(Source, as, vec)
		if !errors.Is(err, tc.err) || (err == nil) != (tc.err == nil) {
			t.Errorf("%s: error %v, want %v", tc.name, err, tc.err)
			continue
		}
		if err != nil {
			if !slices.Equal(vec, tc.vec) {
				t.Errorf("%s: a failed import changed the iovecs", tc.name)
			}
			continue
		}
		if it.Count() != tc.count || it.Kind() != KindIovec || it.NrSegs() != len(vec) || it.Dir() != Source {
			t.Errorf("%s: count %d (want %d), kind %v, %d segments, %v", tc.name, it.Count(), tc.count, it.Kind(), it.NrSegs(), it.Dir())
		}
		for i, l := range tc.lens {
			if vec[i].Len != l {
				t.Errorf("%s: segment %d clamped to %#x, want %#x", tc.name, i, vec[i].Len, l)
			}
		}
	}
}

func TestImportSingleRange(t *testing.T) {
	as := rangeOnly{t, spaceBase, spaceEnd}
	for _, tc := range []struct {
		name  string
		base  uintptr
		n     uint64
		err   error
		count int
	}{
		{"ordinary", spaceBase, 100, nil, 100},
		{"empty", spaceBase, 0, nil, 0},
		{"at address 0", 0, 10, nil, 10},
		{"up to End", spaceEnd - 10, 10, nil, 10},
		{"past End", spaceEnd - 10, 11, syscall.EFAULT, 0},
		{"clamped first, so not past End", spaceEnd - uintptr(MaxRWCount()), 1 << 40, nil, MaxRWCount()},
		{"wrapping", ^uintptr(0) - 5, 10, syscall.EFAULT, 0},
	} {
		it, err := ImportSingleRange(Dest, as, tc.base, tc.n)
		if !errors.Is(err, tc.err) || (err == nil) != (tc.err == nil) {
			t.Errorf("%s: error %v, want %v", tc.name, err, tc.err)
			continue
		}
		if err == nil && (it.Count() != tc.count || it.Kind() != KindUbuf || it.NrSegs() != 1) {
			t.Errorf("%s: count %d (want %d), kind %v, %d segments", tc.name, it.Count(), tc.count, it.Kind(), it.NrSegs())
		}
	}
}

func TestMaxRWCount(t *testing.T) {
	if MaxRWCount() != 0x7fffffff&^(pageSize-1) || MaxRWCount()%pageSize != 0 {
		t.Fatalf("MaxRWCount() = %#x with %d-byte pages", MaxRWCount(), pageSize)
	}
}
