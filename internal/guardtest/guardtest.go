//go:build linux

// Package guardtest gives tests buffers fenced by inaccessible pages, so that
// a test can prove that code reads and writes nothing outside the slices it
// was given. Only _test.go files import it: it links the testing package.
package guardtest

import (
	"runtime/debug"
	"testing"

	"github.com/iovkit/iovkit/cshim"
)

// Guarded returns n bytes, rounded up to whole pages, of readable and
// writable memory with an inaccessible page right before its first byte and
// right after its last: put a buffer flush against either end and a stray
// access faults. The memory is released when the test ends; a failure to map
// it fails the test.
func Guarded(tb testing.TB, n int) []byte {
	tb.Helper()
	s, err := cshim.NewSpace(n)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	size := int(s.End() - s.Base())
	if err := s.Map(s.Base(), size, cshim.ProtRead|cshim.ProtWrite); err != nil {
		tb.Fatal(err)
	}
	return s.Bytes(s.Base(), size)
}

// Faults reports whether f stopped at a memory fault, which it recovers:
// a test's probe that an address is inaccessible.
func Faults(f func()) (faulted bool) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			_, faulted = r.(interface{ Addr() uintptr })
		}
	}()
	f()
	return false
}
