//go:build linux

package guardtest_test

import (
	"os"
	"testing"
	"unsafe"

	"github.com/iovkit/iovkit/internal/guardtest"
)

// TestGuarded checks that the buffer is usable end to end and that the
// pages on either side of it are not.
func TestGuarded(t *testing.T) {
	ps := os.Getpagesize()
	b := guardtest.Guarded(t, 5000)
	if len(b)%ps != 0 || len(b) < 5000 {
		t.Fatalf("Guarded(5000) gave %d bytes", len(b))
	}
	b[0], b[len(b)-1] = 1, 2
	start := unsafe.Pointer(&b[0])
	for _, off := range []int{-1, len(b)} {
		if !guardtest.Faults(func() { sink = *(*byte)(unsafe.Add(start, off)) }) {
			t.Errorf("the byte at offset %d of the buffer is accessible", off)
		}
	}
}

// sink keeps the loads that provoke a fault.
var sink byte
