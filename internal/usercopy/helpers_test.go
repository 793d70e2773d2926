//go:build linux

package usercopy_test

import (
	"os"
	"testing"

	"github.com/iovkit/iovkit/cshim"
	"github.com/iovkit/iovkit/csum"
	"github.com/iovkit/iovkit/internal/usercopy"
)

var ps = os.Getpagesize()

const rw = cshim.ProtRead | cshim.ProtWrite

// upat is what user memory holds at offset i from Base: it depends on the
// position, so a byte moved to the wrong place shows, and is never zero, so
// a zero Go buffer or a cleared byte differs from it everywhere.
func upat(i int) byte { return byte(i%251 + 1) }

// fixture is a space of readable and writable pages filled with upat.
type fixture struct {
	as   *cshim.Space
	base uintptr
	user []byte // the whole space, through Bytes
	want []byte // what user memory holds when no test has changed it
	src  []byte // Go data to copy out: differs from want at every offset
}

func newFixture(t testing.TB, pages int) *fixture {
	t.Helper()
	as, err := cshim.NewSpace(pages * ps)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { as.Close() })
	if err := as.Map(as.Base(), pages*ps, rw); err != nil {
		t.Fatal(err)
	}
	f := &fixture{as: as, base: as.Base(), user: as.Bytes(as.Base(), pages*ps)}
	f.want = make([]byte, pages*ps)
	f.src = make([]byte, pages*ps)
	for i := range f.want {
		f.want[i] = upat(i)
		f.src[i] = upat(i) ^ 0x5a
	}
	copy(f.user, f.want)
	return f
}

// page returns the address of page i.
func (f *fixture) page(i int) uintptr { return f.base + uintptr(i*ps) }

func (f *fixture) protect(t testing.TB, i, n int, prot cshim.Prot) {
	t.Helper()
	if err := f.as.Protect(f.page(i), n*ps, prot); err != nil {
		t.Fatal(err)
	}
}

// walk runs op a over the n bytes at user address u with usercopy.Walk,
// adding to *done (and *sum), and returns whether all n were done and the
// address of the fault that stopped it, if one did.
func walk(as usercopy.Space, a usercopy.Op, u uintptr, n int, buf []byte, sum *csum.Sum, done *int) (bool, uintptr) {
	_, _, ok, fault := usercopy.Walk(as, a, []usercopy.Seg{{Base: u, Len: uint64(n)}}, 0, n, buf, sum, done)
	return ok, fault
}
