package main

import (
	"testing"

	"github.com/iovkit/iovkit/internal/guardtest"
)

// TestLoadOnlyInBounds runs the load-only loop over every length up to a
// few steps, flush against a guard page on either side: a load outside the
// buffer faults.
func TestLoadOnlyInBounds(t *testing.T) {
	max := 3*loadStep + 17
	mem := guardtest.Guarded(t, max)
	for n := 0; n <= max; n++ {
		loadOnly(mem[:n])
		loadOnly(mem[len(mem)-n:])
	}
}

// TestLoadWords checks that the Go word loop reads every byte of its
// buffer and nothing after it.
func TestLoadWords(t *testing.T) {
	b := make([]byte, 28)
	for n := range 27 {
		for i := range n + 1 {
			clear(b)
			b[i] = 0x5a
			if got := loadWords(b[:n]); (got != 0) != (i < n) {
				t.Errorf("loadWords of %d bytes with byte %d set = %#x", n, i, got)
			}
		}
	}
}
