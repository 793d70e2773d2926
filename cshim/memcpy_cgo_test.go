//go:build cgo && linux

package cshim_test

import (
	"bytes"
	"testing"

	"github.com/iovkit/iovkit/cshim"
)

func TestMemcpy(t *testing.T) {
	src := make([]byte, 1<<16+3)
	for i := range src {
		src[i] = byte(i*7 + 1)
	}
	for _, c := range []struct{ dst, src, want int }{
		{0, 0, 0}, {0, 5, 0}, {5, 0, 0}, {1, 1, 1}, {100, 40, 40}, {40, 100, 40}, {len(src), len(src), len(src)},
	} {
		dst := make([]byte, c.dst+1) // one canary byte past dst
		if n := cshim.Memcpy(dst[:c.dst], src[:c.src]); n != c.want {
			t.Errorf("Memcpy(%d bytes, %d bytes) = %d, want %d", c.dst, c.src, n, c.want)
		}
		if !bytes.Equal(dst[:c.want], src[:c.want]) {
			t.Errorf("Memcpy(%d bytes, %d bytes): wrong bytes", c.dst, c.src)
		}
		if dst[c.dst] != 0 {
			t.Errorf("Memcpy(%d bytes, %d bytes) wrote past dst", c.dst, c.src)
		}
	}
}

func TestMemcpyAllocs(t *testing.T) {
	dst, src := make([]byte, 64), make([]byte, 64)
	if a := testing.AllocsPerRun(100, func() { cshim.Memcpy(dst, src) }); a != 0 {
		t.Errorf("Memcpy allocates %v times a call", a)
	}
}
