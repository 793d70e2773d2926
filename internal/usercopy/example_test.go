//go:build linux

package usercopy_test

import (
	"fmt"
	"log"
	"os"

	"github.com/iovkit/iovkit/cshim"
	"github.com/iovkit/iovkit/csum"
	"github.com/iovkit/iovkit/internal/usercopy"
)

// A copy from user memory that runs into an unmapped page stops exactly
// there.
func ExampleCopyIn() {
	ps := os.Getpagesize()
	as, err := cshim.NewSpace(2 * ps)
	if err != nil {
		log.Fatal(err)
	}
	defer as.Close()
	// Only the first page is usable; the second stays PROT_NONE.
	if err := as.Map(as.Base(), ps, cshim.ProtRead|cshim.ProtWrite); err != nil {
		log.Fatal(err)
	}
	at := as.Base() + uintptr(ps) - 5
	copy(as.Bytes(at, 5), "hello")

	buf := make([]byte, 10)
	n := usercopy.CopyIn(buf, as, at)
	fmt.Printf("%d bytes: %q\n", n, buf[:n])
	// Output: 5 bytes: "hello"
}

// One Guard covers a whole scatter-gather copy: the recover is set up once,
// and the counter says how far the copy got when a page faults.
func ExampleGuard() {
	ps := os.Getpagesize()
	as, err := cshim.NewSpace(2 * ps)
	if err != nil {
		log.Fatal(err)
	}
	defer as.Close()
	if err := as.Map(as.Base(), ps, cshim.ProtRead|cshim.ProtWrite); err != nil {
		log.Fatal(err)
	}
	segs := []struct {
		addr uintptr
		n    int
	}{{as.Base(), 100}, {as.Base() + 1000, 200}, {as.Base() + uintptr(ps) - 50, 100}}

	// gather's results are named: after the fault, Disarm recovers and
	// gather returns them as they stand.
	gather := func(dst []byte) (n int, sum csum.Sum) {
		var g usercopy.Guard
		g.Arm(as)
		defer g.Disarm()
		for _, s := range segs {
			if !g.CsumCopyIn(dst[n:n+s.n], s.addr, &sum, &n) {
				break // outside the space
			}
		}
		return n, sum
	}
	dst := make([]byte, 400)
	n, sum := gather(dst)
	// The third segment faults after 50 bytes: n counts them, and sum is
	// the sum of exactly the n bytes copied.
	fmt.Println(n, csum.Fold(sum) == csum.Fold(csum.Partial(dst[:n], 0)))
	// Output: 350 true
}
