//go:build amd64 && gc && !purego && !race

package usercopy

import (
	"testing"
	"unsafe"
)

// TestCopyPrefetch runs the prefetching copy against copy, whether or not
// move picks it on this CPU.
func TestCopyPrefetch(t *testing.T) {
	if !hasAVX2 {
		t.Log("copyPrefetch needs AVX2, which this CPU lacks")
		return
	}
	testCopyKernel(t, "copyPrefetch", func(dst, src []byte) {
		if len(src) < moveMin {
			copy(dst, src)
			return
		}
		copyPrefetch(unsafe.Pointer(unsafe.SliceData(dst)), unsafe.Pointer(unsafe.SliceData(src)), len(src))
	})
}
