//go:build linux

package cshim

// Guarded returns n bytes, rounded up to whole pages, of readable and
// writable memory with an inaccessible page right before its first byte and
// right after its last, so that a test can prove that code reads and writes
// nothing outside a buffer: put the buffer flush against either end and a
// stray access faults. Close the Space to release the memory.
func Guarded(n int) ([]byte, *Space, error) {
	s, err := NewSpace(n)
	if err != nil {
		return nil, nil, err
	}
	size := int(s.End() - s.Base())
	if err := s.Map(s.Base(), size, ProtRead|ProtWrite); err != nil {
		s.Close()
		return nil, nil, err
	}
	return s.Bytes(s.Base(), size), s, nil
}
