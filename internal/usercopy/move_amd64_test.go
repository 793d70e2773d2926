//go:build amd64 && gc && !purego && !race

package usercopy

import (
	"testing"
	"unsafe"
)

// TestCopyKernels runs both prefetching copies, whichever move picks on
// this CPU, against copy.
func TestCopyKernels(t *testing.T) {
	for name, k := range map[string]func(dst, src unsafe.Pointer, n int){
		"copyPrefetch":     copyPrefetch,
		"copyPrefetchAVX2": copyPrefetchAVX2,
	} {
		if name == "copyPrefetchAVX2" && !hasAVX2 {
			t.Logf("%s: this CPU has no AVX2", name)
			continue
		}
		testCopyKernel(t, name, func(dst, src []byte) {
			if len(src) < moveMin {
				copy(dst, src)
				return
			}
			k(unsafe.Pointer(unsafe.SliceData(dst)), unsafe.Pointer(unsafe.SliceData(src)), len(src))
		})
	}
}
