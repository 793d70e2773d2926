//go:build linux

package usercopy_test

import (
	"runtime"
	"testing"
	"time"

	"github.com/iovkit/iovkit/cshim"
	"github.com/iovkit/iovkit/internal/usercopy"
)

// TestManyFaults faults 100 000 times in a loop, through every kind of
// op, and checks that nothing accumulates: goroutines, heap, and the
// goroutine's SetPanicOnFault setting.
func TestManyFaults(t *testing.T) {
	const faults = 100_000
	f := newFixture(t, 3)
	f.protect(t, 1, 1, cshim.ProtNone)
	buf := make([]byte, 2*ps)
	at := f.page(1) - 100 // 100 good bytes, then the bad page

	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	goroutines := runtime.NumGoroutine()
	start := time.Now()
	for i := range faults {
		var n int
		switch i % 4 {
		case 0:
			n = usercopy.CopyIn(buf, f.as, at)
		case 1:
			n = usercopy.CopyOut(f.as, at, buf)
		case 2:
			n, _ = usercopy.CsumCopyIn(buf, f.as, at, 0)
		case 3:
			n = usercopy.Readable(f.as, at, len(buf))
		}
		if n != 100 {
			t.Fatalf("fault %d: moved %d bytes, want 100", i, n)
		}
	}
	elapsed := time.Since(start)
	var after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&after)
	t.Logf("%d faults in %v, %v each; heap in use %d -> %d KiB", faults, elapsed,
		elapsed/faults, before.HeapInuse>>10, after.HeapInuse>>10)
	if g := runtime.NumGoroutine(); g != goroutines {
		t.Errorf("%d goroutines before, %d after", goroutines, g)
	}
	if after.HeapInuse > before.HeapInuse+1<<20 {
		t.Errorf("heap in use grew from %d to %d bytes", before.HeapInuse, after.HeapInuse)
	}
	if grew := after.StackInuse - min(after.StackInuse, before.StackInuse); grew > 1<<20 {
		t.Errorf("stacks grew by %d bytes", grew)
	}
}
