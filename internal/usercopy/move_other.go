//go:build !amd64 || !gc || purego || race

package usercopy

// move copies src to dst, which has the same length: the runtime's memmove.
func move(dst, src []byte) { copy(dst, src) }
