//go:build linux

package cshim_test

import (
	"errors"
	"fmt"
	"log"
	"os"
	"syscall"

	"github.com/iovkit/iovkit/cshim"
)

// Build a user address space with a hole in it: two usable pages, then one
// that faults.
func ExampleSpace() {
	ps := os.Getpagesize()
	as, err := cshim.NewSpace(3 * ps)
	if err != nil {
		log.Fatal(err)
	}
	defer as.Close()

	// Pages become usable with Map; Protect and Unmap change them later.
	if err := as.Map(as.Base(), 2*ps, cshim.ProtRead|cshim.ProtWrite); err != nil {
		log.Fatal(err)
	}
	copy(as.Bytes(as.Base()+uintptr(ps)-5, 5), "hello")

	// The last page stays PROT_NONE: a copy from user memory that reaches
	// it (iter.ImportIovec with this Space, say) stops there.
	fmt.Println(string(as.Bytes(as.Base()+uintptr(ps)-5, 5)))
	err = as.Map(as.Base()+1, ps, cshim.ProtRead)
	fmt.Println(errors.Is(err, syscall.EINVAL))
	// Output:
	// hello
	// true
}
