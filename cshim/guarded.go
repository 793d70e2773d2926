//go:build linux

package cshim

import "testing"

// Guarded returns n bytes, rounded up to whole pages, of readable and
// writable memory with an inaccessible page right before its first byte and
// right after its last, so that a test can prove that code reads and writes
// nothing outside a buffer: put the buffer flush against either end and a
// stray access faults. The memory is released when the test ends; a failure
// to map it fails the test.
func Guarded(tb testing.TB, n int) []byte {
	tb.Helper()
	s, err := NewSpace(n)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	size := int(s.End() - s.Base())
	if err := s.Map(s.Base(), size, ProtRead|ProtWrite); err != nil {
		tb.Fatal(err)
	}
	return s.Bytes(s.Base(), size)
}
