//go:build linux

package usercopy_test

import (
	"bytes"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/iovkit/iovkit/cshim"
	"github.com/iovkit/iovkit/internal/usercopy"
)

// TestConcurrentFaults runs goroutines that fault at the same time, each on
// its own pages, while another goroutine that never walks user memory checks that
// its SetPanicOnFault setting stays off.
func TestConcurrentFaults(t *testing.T) {
	const workers, rounds = 8, 2000
	f := newFixture(t, 2*workers)
	for w := range workers {
		f.protect(t, 2*w+1, 1, cshim.ProtNone)
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	var leaked atomic.Bool
	go func() { // a bystander
		for {
			select {
			case <-stop:
				return
			default:
				if debug.SetPanicOnFault(false) {
					leaked.Store(true)
				}
				runtime.Gosched()
			}
		}
	}()
	errs := make(chan string, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 2*ps)
			bad := f.page(2*w + 1)
			for i := range rounds {
				back := 1 + (i*7919+w*31)%ps // bytes before the bad page
				var n int
				switch i % 3 {
				case 0:
					n = usercopy.CopyIn(buf, f.as, bad-uintptr(back))
					if n == back && !bytes.Equal(buf[:n], f.want[int(bad-f.base)-back:][:n]) {
						errs <- "CopyIn copied the wrong bytes"
						return
					}
				case 1:
					n = usercopy.Readable(f.as, bad-uintptr(back), 2*ps)
				case 2:
					n = usercopy.Writeable(f.as, bad-uintptr(back), 2*ps)
				}
				if n != back {
					errs <- "a concurrent fault moved the wrong number of bytes"
					return
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if leaked.Load() {
		t.Error("another goroutine's walk turned on SetPanicOnFault for the bystander")
	}
}

// TestProtectionChanges copies over a page whose protection another
// goroutine keeps changing: each copy moves either everything or exactly the
// bytes before that page, and the bytes it reports are right. It runs until
// it has seen enough of both outcomes, or for at most a few seconds.
func TestProtectionChanges(t *testing.T) {
	f := newFixture(t, 3)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				f.protect(t, 1, 1, rw)
				return
			default:
			}
			f.protect(t, 1, 1, []cshim.Prot{cshim.ProtNone, cshim.ProtRead, rw}[i%3])
		}
	}()
	defer wg.Wait()
	defer close(stop)
	buf := make([]byte, 3*ps)
	at := f.base + 100
	short, whole := ps-100, 3*ps-100
	counts := map[int]int{}
	deadline := time.Now().Add(3 * time.Second)
	for counts[short] < 100 || counts[whole] < 100 {
		if time.Now().After(deadline) {
			t.Logf("gave up waiting for both outcomes")
			break
		}
		n := usercopy.CopyIn(buf[:whole], f.as, at)
		if n != short && n != whole {
			t.Fatalf("CopyIn moved %d bytes, want %d or %d", n, short, whole)
		}
		if !bytes.Equal(buf[:n], f.want[100:100+n]) {
			t.Fatal("CopyIn copied the wrong bytes")
		}
		counts[n]++
	}
	t.Logf("short copies %d, whole ones %d", counts[short], counts[whole])
}

// TestProbeWriteableChangesNothing probes a page while another goroutine
// increments a word in it with atomic adds: no increment may be lost.
func TestProbeWriteableChangesNothing(t *testing.T) {
	rounds := 200_000
	if raceEnabled || emulated() {
		rounds = 20_000
	}
	f := newFixture(t, 1)
	word := (*uint32)(f.as.Pointer(f.base)) // the byte the probe touches is in this word
	*word = 0
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range rounds {
			atomic.AddUint32(word, 1)
		}
	}()
	probes := 0
	for {
		select {
		case <-done:
		default:
			if usercopy.Writeable(f.as, f.base, 1) != 1 {
				t.Fatal("the page is not writable")
			}
			probes++
			continue
		}
		break
	}
	if got := atomic.LoadUint32(word); got != uint32(rounds) {
		t.Errorf("%d increments, the word holds %d: the probe lost %d (%d probes)", rounds, got, uint32(rounds)-got, probes)
	}
}
