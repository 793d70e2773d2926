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

// One Walk covers a whole scatter-gather copy: it sets up the fault
// recovery once, and the counter says how far the copy got when a page
// faults.
func ExampleWalk() {
	ps := os.Getpagesize()
	as, err := cshim.NewSpace(2 * ps)
	if err != nil {
		log.Fatal(err)
	}
	defer as.Close()
	if err := as.Map(as.Base(), ps, cshim.ProtRead|cshim.ProtWrite); err != nil {
		log.Fatal(err)
	}
	segs := []usercopy.Seg{
		{Base: as.Base(), Len: 100},
		{Base: as.Base() + 1000, Len: 200},
		{Base: as.Base() + uintptr(ps) - 50, Len: 100}, // runs into the PROT_NONE page
	}
	dst := make([]byte, 400)
	var n int
	var sum csum.Sum
	_, _, ok, fault := usercopy.Walk(as, usercopy.OpCsumCopyIn, segs, 0, 400, dst, &sum, &n)
	// The third segment faults after 50 bytes: n counts them, and sum is
	// the sum of exactly the n bytes copied.
	fmt.Println(n, ok, fault&^uintptr(ps-1) == as.Base()+uintptr(ps), csum.Fold(sum) == csum.Fold(csum.Partial(dst[:n], 0)))
	// Output: 350 false true true
}
