//go:build !amd64 || !gc || purego || race

package usercopy

// moveNocache copies src to dst: with no kernel of our own, the runtime's
// memmove.
func moveNocache(dst, src []byte) { copy(dst, src) }
