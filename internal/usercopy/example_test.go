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

	gather := func(dst []byte, st *csum.State) (n int) {
		var g usercopy.Guard
		g.Arm(as)
		defer g.Disarm() // recovers the fault; gather returns n as it stands
		for _, s := range segs {
			if !g.CsumCopyIn(dst[n:n+s.n], s.addr, st) {
				break // outside the space
			}
			n += s.n
		}
		return n
	}
	var st csum.State
	n := gather(make([]byte, 400), &st)
	fmt.Println(n, st.Off) // n counts whole segments; st.Off every byte
	// Output: 300 350
}
