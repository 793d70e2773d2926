//go:build !amd64 || !gc || purego || race

package usercopy

// moveIsCopy: move is the runtime's memmove, which needs no tests of ours.
const moveIsCopy = true

// move copies src to dst, which has the same length: the runtime's memmove.
func move(dst, src []byte) { copy(dst, src) }

// moveNocache copies src to dst: with no kernel of our own, the runtime's
// memmove.
func moveNocache(dst, src []byte) { copy(dst, src) }
