//go:build !amd64 || !gc || purego

package csum

// activePartial runs the Partial of the active implementation. (On amd64
// it is assembly that jumps to the kernel.)
func activePartial(b []byte, sum Sum) Sum { return archPartial(activeID, b, sum) }

// activeCopy runs the Copy of the active implementation. len(dst) ==
// len(src).
func activeCopy(dst, src []byte, sum Sum) Sum { return archCopy(activeID, dst, src, sum) }
