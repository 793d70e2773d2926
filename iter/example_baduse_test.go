//go:build linux

package iter_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
	"time"

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

// Copy into user memory whose second page is PROT_NONE: the copy stops
// exactly at the page and says how far it got, and the iterator stays
// there.
func ExampleImportSingleRange() {
	page := os.Getpagesize()
	as, err := cshim.NewSpace(2 * page)
	if err != nil {
		panic(err)
	}
	defer as.Close()
	if err := as.Map(as.Base(), 2*page, cshim.ProtRead|cshim.ProtWrite); err != nil {
		panic(err)
	}
	if err := as.Protect(as.Base()+uintptr(page), page, cshim.ProtNone); err != nil {
		panic(err)
	}
	it, err := iter.ImportSingleRange(iter.Dest, as, as.Base()+uintptr(page)-100, 300)
	if err != nil {
		panic(err)
	}
	n := it.CopyTo(make([]byte, 300))
	fmt.Println(n, it.Count())
	// Output: 100 200
}

// Emulate readv(2): the iovec array is in user memory too, as a syscall
// emulator receives it; import it with Linux's checks and read into it.
func ExampleImportIovecUser() {
	page := os.Getpagesize()
	as, err := cshim.NewSpace(page)
	if err != nil {
		panic(err)
	}
	defer as.Close()
	if err := as.Map(as.Base(), page, cshim.ProtRead|cshim.ProtWrite); err != nil {
		panic(err)
	}
	// Two buffers at 1024 and 2048, and the array of struct iovec (a
	// base and a length, 64 bits each) describing them at 0.
	uvec := as.Base()
	array := as.Bytes(uvec, 32)
	for i, v := range []iter.Iovec{{Base: as.Base() + 1024, Len: 5}, {Base: as.Base() + 2048, Len: 16}} {
		binary.NativeEndian.PutUint64(array[16*i:], uint64(v.Base))
		binary.NativeEndian.PutUint64(array[16*i+8:], v.Len)
	}

	it, err := iter.ImportIovecUser(iter.Dest, as, uvec, 2, make([]iter.Iovec, 2))
	if err != nil {
		panic(err)
	}
	n, err := it.ReadFrom(strings.NewReader("hello, iovec"))
	fmt.Println(n, err, string(as.Bytes(as.Base()+1024, 5)), string(as.Bytes(as.Base()+2048, 7)))
	// Output: 12 <nil> hello , iovec
}

// Read from a pipe through Go's poller: ReadvRaw waits while the pipe is
// empty, as a read of an os.File does, and a deadline ends the wait.
func ExampleReadvRaw() {
	r, w, err := os.Pipe()
	if err != nil {
		panic(err)
	}
	defer r.Close()
	defer w.Close()
	rc, err := r.SyscallConn()
	if err != nil {
		panic(err)
	}
	go w.Write([]byte("ping"))
	buf := make([]byte, 8)
	it := iter.NewKvec(iter.Dest, [][]byte{buf})
	n, err := iter.ReadvRaw(rc, &it)
	fmt.Printf("%d %v %q\n", n, err, buf[:n])

	r.SetReadDeadline(time.Now().Add(10 * time.Millisecond))
	_, err = iter.ReadvRaw(rc, &it)
	fmt.Println(errors.Is(err, os.ErrDeadlineExceeded))
	// Output:
	// 4 <nil> "ping"
	// true
}
