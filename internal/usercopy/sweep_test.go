//go:build linux

package usercopy_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/iovkit/iovkit/cshim"
	"github.com/iovkit/iovkit/csum"
	"github.com/iovkit/iovkit/internal/usercopy"
)

// pad is how far around a transfer the sweep checks that nothing changed.
const pad = 64

// sweepCase is one transfer of the sweep: L bytes at user address s, with
// the page at bad (if any) made inaccessible or read-only.
type sweepCase struct {
	t     *testing.T
	f     *fixture
	s     uintptr // user address
	L     int
	bad   int        // index of the guard page
	prot  cshim.Prot // its protection
	stOff int        // stream offset the checksum forms start at
	init  csum.Sum
	goBuf []byte // a zero Go buffer of L+2*pad bytes, the copy-in destination at pad
	zeros []byte
}

// want returns how many bytes an operation must move: those before the
// guard page if the transfer reaches it and the page stops the operation.
func (c *sweepCase) want(writes bool) int {
	if c.prot == rw || c.prot == cshim.ProtRead && !writes {
		return c.L
	}
	g := c.f.page(c.bad)
	if g < c.s {
		if g+uintptr(ps) > c.s {
			return 0 // the transfer starts in the guard page
		}
		return c.L // the guard page is before the transfer
	}
	return min(c.L, int(g-c.s))
}

func (c *sweepCase) fail(op, format string, args ...any) {
	c.t.Helper()
	c.t.Fatalf("%s of %d bytes from page %d + %d (guard page %d, %v): %s", op, c.L,
		int(c.s-c.f.base)/ps, int(c.s-c.f.base)%ps, c.bad, c.prot, fmt.Sprintf(format, args...))
}

// checkStop checks the count an operation reported and how it stopped.
func (c *sweepCase) checkStop(op string, writes bool, n int, ok bool, fault uintptr) {
	c.t.Helper()
	want := c.want(writes)
	if n != want {
		c.fail(op, "moved %d bytes, want %d", n, want)
	}
	if ok != (want == c.L) {
		c.fail(op, "returned %v after %d of %d bytes", ok, n, c.L)
	}
	if page := fault &^ uintptr(ps-1); want < c.L && page != c.f.page(c.bad) {
		c.fail(op, "fault address %#x, want one in the guard page %#x", fault, c.f.page(c.bad))
	}
}

// checkGoDst checks that the copy-in destination holds exactly the first n
// bytes of the transfer and zeros around them, then zeroes it again.
func (c *sweepCase) checkGoDst(op string, n int) {
	c.t.Helper()
	off := int(c.s - c.f.base)
	got := c.goBuf[pad : pad+n]
	if !bytes.Equal(got, c.f.want[off:off+n]) {
		c.fail(op, "wrong bytes copied in")
	}
	if !bytes.Equal(c.goBuf[:pad], c.zeros[:pad]) || !bytes.Equal(c.goBuf[pad+n:], c.zeros[pad+n:len(c.goBuf)]) {
		c.fail(op, "bytes of the Go buffer outside the %d copied changed", n)
	}
	clear(got)
}

// checkUser checks that user memory around the transfer holds written in
// its first n bytes and its usual contents everywhere else, then restores
// it. A PROT_NONE guard page is left out.
func (c *sweepCase) checkUser(op string, n int, written []byte) {
	c.t.Helper()
	s := int(c.s - c.f.base)
	lo, hi := s-pad, s+c.L+pad
	check := func(a, b int) {
		for _, r := range [][2]int{{a, min(b, s)}, {max(a, s+n), b}} {
			if r[0] < r[1] && !bytes.Equal(c.f.user[r[0]:r[1]], c.f.want[r[0]:r[1]]) {
				c.fail(op, "user bytes [%d, %d) outside the %d moved changed", r[0]-s, r[1]-s, n)
			}
		}
		if a, b := max(a, s), min(b, s+n); a < b && !bytes.Equal(c.f.user[a:b], written[a-s:b-s]) {
			c.fail(op, "wrong bytes written to user memory")
		}
	}
	if c.prot == cshim.ProtNone {
		g := c.bad * ps
		check(lo, min(hi, g))
		check(max(lo, g+ps), hi)
	} else {
		check(lo, hi)
	}
	copy(c.f.user[s:s+n], c.f.want[s:s+n])
}

// checkSum checks a checksum form's sum, begun at c.init and stream offset
// c.stOff, against the first n bytes of data.
func (c *sweepCase) checkSum(op string, n int, sum csum.Sum, data []byte) {
	c.t.Helper()
	want := csum.BlockAdd(c.init, csum.Partial(data[:n], 0), c.stOff)
	if csum.Fold(sum) != csum.Fold(want) {
		c.fail(op, "sum %#x, want %#x", sum, want)
	}
}

type sweepOp struct {
	name   string
	writes bool // stores to user memory, so a read-only page stops it
	run    func(c *sweepCase)
}

var sweepOps = []sweepOp{
	{"CopyIn", false, func(c *sweepCase) {
		var n int
		ok, fault := walk(c.f.as, usercopy.OpCopyIn, c.s, c.L, c.goBuf[pad:pad+c.L], nil, &n)
		c.checkStop("CopyIn", false, n, ok, fault)
		c.checkGoDst("CopyIn", n)
	}},
	{"CopyInNocache", false, func(c *sweepCase) {
		var n int
		ok, fault := walk(c.f.as, usercopy.OpCopyInNocache, c.s, c.L, c.goBuf[pad:pad+c.L], nil, &n)
		c.checkStop("CopyInNocache", false, n, ok, fault)
		c.checkGoDst("CopyInNocache", n)
	}},
	{"CopyOut", true, func(c *sweepCase) {
		var n int
		src := c.f.src[c.s-c.f.base:][:c.L]
		ok, fault := walk(c.f.as, usercopy.OpCopyOut, c.s, c.L, src, nil, &n)
		c.checkStop("CopyOut", true, n, ok, fault)
		c.checkUser("CopyOut", n, src)
	}},
	{"Clear", true, func(c *sweepCase) {
		var n int
		ok, fault := walk(c.f.as, usercopy.OpClear, c.s, c.L, nil, nil, &n)
		c.checkStop("Clear", true, n, ok, fault)
		c.checkUser("Clear", n, c.zeros)
	}},
	{"CsumCopyIn", false, func(c *sweepCase) {
		sum, off := c.init, c.stOff
		ok, fault := walk(c.f.as, usercopy.OpCsumCopyIn, c.s, c.L, c.goBuf[pad:pad+c.L], &sum, &off)
		n := off - c.stOff
		c.checkStop("CsumCopyIn", false, n, ok, fault)
		c.checkSum("CsumCopyIn", n, sum, c.goBuf[pad:])
		c.checkGoDst("CsumCopyIn", n)
	}},
	{"CsumCopyOut", true, func(c *sweepCase) {
		sum, off := c.init, c.stOff
		src := c.f.src[c.s-c.f.base:][:c.L]
		ok, fault := walk(c.f.as, usercopy.OpCsumCopyOut, c.s, c.L, src, &sum, &off)
		n := off - c.stOff
		c.checkStop("CsumCopyOut", true, n, ok, fault)
		c.checkSum("CsumCopyOut", n, sum, src)
		c.checkUser("CsumCopyOut", n, src)
	}},
	{"Csum", false, func(c *sweepCase) {
		sum, off := c.init, c.stOff
		ok, fault := walk(c.f.as, usercopy.OpCsum, c.s, c.L, nil, &sum, &off)
		n := off - c.stOff
		c.checkStop("Csum", false, n, ok, fault)
		c.checkSum("Csum", n, sum, c.f.want[c.s-c.f.base:])
	}},
	{"ProbeReadable", false, func(c *sweepCase) {
		var n int
		ok, fault := walk(c.f.as, usercopy.OpProbeReadable, c.s, c.L, nil, nil, &n)
		c.checkStop("ProbeReadable", false, n, ok, fault)
	}},
	{"ProbeWriteable", true, func(c *sweepCase) {
		var n int
		ok, fault := walk(c.f.as, usercopy.OpProbeWriteable, c.s, c.L, nil, nil, &n)
		c.checkStop("ProbeWriteable", true, n, ok, fault)
		c.checkUser("ProbeWriteable", 0, nil) // a probe changes nothing
	}},
}

// TestGuardPageSweep runs every op over 2 to 3 pages starting at
// every offset from 0 to two pages (see sweepOffsets), with a PROT_NONE or
// read-only page at every position relative to the transfer: the page before
// it, each page it touches, and the two after. It checks the count, the
// fault, the checksum and every byte around the transfer on both sides.
func TestGuardPageSweep(t *testing.T) {
	f := newFixture(t, 8)
	c := &sweepCase{t: t, f: f, goBuf: make([]byte, 3*ps+2*pad), zeros: make([]byte, 3*ps+2*pad)}
	offsets, mode := sweepOffsets()
	cases := 0
	// The transfer starts in page first (1 to 3); the guard page is page
	// first+rel.
	for first := 1; first <= 3; first++ {
		for rel := -1; rel <= 4; rel++ {
			c.bad = first + rel
			for _, prot := range []cshim.Prot{cshim.ProtNone, cshim.ProtRead} {
				c.prot = prot
				f.protect(t, c.bad, 1, prot)
				for _, off := range offsets {
					if off/ps != first-1 {
						continue
					}
					c.s = f.page(1) + uintptr(off)
					c.L = 2*ps + off*37%(ps+1)
					c.stOff = off / 3 % 2
					c.init = csum.Sum(0x9e3779b9 + off)
					for i := range sweepOps {
						sweepOps[i].run(c)
						cases++
					}
				}
				f.protect(t, c.bad, 1, rw)
			}
		}
	}
	t.Logf("%d transfers from %d offsets (%s sweep)", cases, len(offsets), mode)
}
