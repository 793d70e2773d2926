//go:build linux

package iter_test

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"

	"github.com/iovkit/iovkit/cshim"
	"github.com/iovkit/iovkit/iter"
)

// Read a fixed-size header from a stream: ReadFrom takes no more than the
// iterator holds, so the body stays in the reader for the next step.
func ExampleIter_ReadFrom() {
	r := strings.NewReader("HEADERbody")
	hdr := make([]byte, 6)
	it := iter.NewKvec(iter.Dest, [][]byte{hdr})
	n, err := it.ReadFrom(r)
	rest, _ := io.ReadAll(r)
	fmt.Printf("%d %q, %v; left in the reader: %q\n", n, hdr, err, rest)
	// Output: 6 "HEADER", short write; left in the reader: "body"
}

// Import errors wrap Linux's errno: test them with errors.Is. Once the
// address space is closed, every non-empty range fails with EFAULT.
func ExampleImportIovec() {
	as, err := cshim.NewSpace(os.Getpagesize())
	if err != nil {
		panic(err)
	}
	_, err = iter.ImportIovec(iter.Dest, as, []iter.Iovec{{Base: as.Base(), Len: 1 << 63}})
	fmt.Println(errors.Is(err, syscall.EINVAL))
	_, err = iter.ImportIovec(iter.Dest, as, []iter.Iovec{{Base: as.End(), Len: 1}})
	fmt.Println(errors.Is(err, syscall.EFAULT))
	as.Close()
	_, err = iter.ImportSingleRange(iter.Dest, as, as.Base(), 10)
	fmt.Println(errors.Is(err, syscall.EFAULT))
	// Output:
	// true
	// true
	// true
}

// Get the pages behind user memory and use them while the mapping stays as
// it is. They are not pinned: once a page is protected or unmapped, touching
// its *Page faults outside any guard and kills the process, so the caller
// changes the mapping only after it is done with the pages.
func ExampleIter_GetPages() {
	ps := os.Getpagesize()
	as, err := cshim.NewSpace(2 * ps)
	if err != nil {
		panic(err)
	}
	defer as.Close()
	if err := as.Map(as.Base(), 2*ps, cshim.ProtRead|cshim.ProtWrite); err != nil {
		panic(err)
	}
	copy(as.Bytes(as.Base()+100, 5), "hello")
	it, err := iter.ImportSingleRange(iter.Source, as, as.Base()+100, 5)
	if err != nil {
		panic(err)
	}
	pages := make([]*iter.Page, 1)
	n, start, err := it.GetPages(pages, it.Count())
	fmt.Printf("%d bytes at %d: %q, %v\n", n, start, pages[0][start:start+n], err)
	// Done with the pages: now the mapping may change, and GetPages says so.
	if err := as.Protect(as.Base(), ps, cshim.ProtNone); err != nil {
		panic(err)
	}
	_, _, err = it.GetPages(pages, it.Count())
	fmt.Println(errors.Is(err, syscall.EFAULT))
	// Output:
	// 5 bytes at 100: "hello", <nil>
	// true
}
