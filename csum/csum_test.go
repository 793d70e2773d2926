package csum

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"math/rand/v2"
	"testing"
)

// refPartial is RFC 1071's loop: the 16-bit words of b in machine order, an
// odd last byte padded with a zero byte, added to init with end-around carry.
func refPartial(b []byte, init Sum) Sum {
	acc := uint64(init)
	for i := 0; i+1 < len(b); i += 2 {
		acc += uint64(binary.NativeEndian.Uint16(b[i:]))
	}
	if len(b)%2 == 1 {
		acc += uint64(binary.NativeEndian.Uint16([]byte{b[len(b)-1], 0}))
	}
	for acc>>32 != 0 {
		acc = acc&0xffffffff + acc>>32
	}
	return Sum(acc)
}

// linuxFold is csum_fold as Linux writes it, turned into a big-endian number.
func linuxFold(s Sum) uint16 {
	x := uint32(s)
	mem := uint16(^(x + bits.RotateLeft32(x, 16)) >> 16)
	var b [2]byte
	binary.NativeEndian.PutUint16(b[:], mem)
	return binary.BigEndian.Uint16(b[:])
}

// available returns the implementations this CPU can run, with the
// test-only entry points of testOnlyImpls before "generic".
func available(t testing.TB) []Implementation {
	var out []Implementation
	for _, im := range Implementations() {
		if im.Name == "generic" {
			for _, extra := range testOnlyImpls {
				if extra.Available {
					extra.Copy = checkedCopy(extra.Copy)
					out = append(out, extra)
				}
			}
		}
		if im.Available {
			out = append(out, im)
		}
	}
	if len(out) == 0 || out[len(out)-1].Name != "generic" {
		t.Fatalf("generic is not the last available implementation: %v", out)
	}
	return out
}

// patterns returns the data a differential test runs on: random bytes, all
// 0xff (the most carries) and all zeros (the 0 versus 0xffff cases).
func patterns(n int, rng *rand.Rand) map[string][]byte {
	r := make([]byte, n)
	for i := range r {
		r[i] = byte(rng.Uint32())
	}
	return map[string][]byte{"random": r, "ff": bytes.Repeat([]byte{0xff}, n), "zero": make([]byte, n)}
}

func TestFoldMatchesLinux(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	cases := []Sum{0, 1, 0xffff, 0x10000, 0xfffe, 0xffff0000, 0xfffeffff, 0xffffffff, 0x1234abcd}
	for range 10000 {
		cases = append(cases, Sum(rng.Uint32()))
	}
	for _, s := range cases {
		if got, want := Fold(s), linuxFold(s); got != want {
			t.Fatalf("Fold(%#x) = %#x, Linux folds to %#x", s, got, want)
		}
		// Unfold reads a stored checksum as the Sum of its two bytes.
		var stored [2]byte
		binary.BigEndian.PutUint16(stored[:], Fold(s))
		if got, want := Unfold(Fold(s)), refPartial(stored[:], 0); got != want {
			t.Fatalf("Unfold(%#04x) = %#x, the bytes sum to %#x", Fold(s), got, want)
		}
	}
}

func TestKnownAnswers(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
		want uint16
	}{
		// RFC 1071 section 3: the words 0001 f203 f4f5 f6f7 sum to ddf2.
		{"rfc1071", []byte{0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7}, ^uint16(0xddf2)},
		// An IPv4 header with its checksum field zeroed; the right value is b861.
		{"ipv4", []byte{0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
			0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7}, 0xb861},
		{"odd", []byte{0x01, 0x02, 0x03}, ^uint16(0x0102 + 0x0300)},
		{"empty", nil, 0xffff},
		{"zeros", make([]byte, 100), 0xffff},
		{"ones", bytes.Repeat([]byte{0xff}, 100), 0},
	} {
		for _, im := range available(t) {
			if got := Fold(im.Partial(tc.data, 0)); got != tc.want {
				t.Errorf("%s: %s: checksum %#04x, want %#04x", im.Name, tc.name, got, tc.want)
			}
		}
	}
}

// TestPartialDifferential runs every implementation against refPartial at
// every length up to 1024, every alignment 0..63 and random initial sums.
func TestPartialDifferential(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const maxLen, maxAlign = 1024, 63
	impls := available(t)
	for name, buf := range patterns(maxLen+maxAlign+1, rng) {
		for align := 0; align <= maxAlign; align++ {
			for n := 0; n <= maxLen; n++ {
				b := buf[align : align+n]
				init := initialSum(rng, n)
				want := Fold(refPartial(b, init))
				for _, im := range impls {
					if got := im.Partial(b, init); Fold(got) != want {
						t.Fatalf("%s: %s data, len %d, align %d, init %#x: folds to %#04x, want %#04x",
							im.Name, name, n, align, init, Fold(got), want)
					}
				}
			}
		}
	}
}

// initialSum picks an initial sum, zero now and then so that the all-zero
// cases stay zero.
func initialSum(rng *rand.Rand, i int) Sum {
	switch i % 4 {
	case 0:
		return 0
	case 1:
		return 0xffffffff
	}
	return Sum(rng.Uint32())
}

// largeInits returns the initial sums the large tests start a pattern
// from: other, and for zeros also 0, where a sum of 0xffff would show.
func largeInits(pattern string, other Sum) []Sum {
	if pattern == "zero" {
		return []Sum{0, other}
	}
	return []Sum{other}
}

// TestPartialLarge sums at the edges of pages and of the 1 MiB chunks of
// the vector tiers: a second chunk of one byte, of a 32-byte block, of a
// round.
func TestPartialLarge(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{1500, 4095, 4096, 4097, 65535, 65536, 1 << 20, 1<<20 + 1, 1<<20 + 3, 1<<20 + 32, 1<<20 + 256} {
		for name, b := range patterns(n, rng) {
			for _, init := range largeInits(name, Sum(rng.Uint32())) {
				want := Fold(refPartial(b, init))
				for _, im := range available(t) {
					if got := Fold(im.Partial(b, init)); got != want {
						t.Errorf("%s: %s data, len %d, init %#x: %#04x, want %#04x", im.Name, name, n, init, got, want)
					}
				}
			}
		}
	}
}

// TestAllOnesHuge sums 64 MiB of 0xff, where an accumulator that loses
// carries goes wrong. Any even run of 0xff bytes is worth one 0xffff word.
func TestAllOnesHuge(t *testing.T) {
	b := bytes.Repeat([]byte{0xff}, 64<<20)
	for _, im := range available(t) {
		for _, n := range []int{len(b), len(b) - 1, len(b) - 64} {
			for _, init := range []Sum{0, 1, 0xffff, 0x12345678, 0xffffffff} {
				want := Fold(refPartial(b[:2+n%2], init))
				if got := Fold(im.Partial(b[:n], init)); got != want {
					t.Errorf("%s: %d bytes of 0xff, init %#x: %#04x, want %#04x", im.Name, n, init, got, want)
				}
			}
		}
	}
}

// TestCopyDifferential checks that every Copy writes exactly len(src) bytes,
// leaves the bytes around them alone and returns the sum Partial would,
// at every length up to 1024 and every alignment of source and destination.
func TestCopyDifferential(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	const maxLen, maxAlign = 1024, 63
	src := patterns(maxLen+maxAlign+1, rng)["random"]
	dst := make([]byte, maxLen+2*maxAlign+2)
	for _, im := range available(t) {
		check := func(sa, da, n int) {
			t.Helper()
			for i := range dst {
				dst[i] = 0xa5
			}
			init := initialSum(rng, n)
			s := src[sa : sa+n]
			got := im.Copy(dst[da:da+n+maxAlign], s, init)
			if Fold(got) != Fold(refPartial(s, init)) {
				t.Fatalf("%s: len %d, src align %d, dst align %d: sum folds to %#04x, want %#04x",
					im.Name, n, sa, da, Fold(got), Fold(refPartial(s, init)))
			}
			if !bytes.Equal(dst[da:da+n], s) {
				t.Fatalf("%s: len %d, src align %d, dst align %d: copy differs", im.Name, n, sa, da)
			}
			for i, c := range dst {
				if (i < da || i >= da+n) && c != 0xa5 {
					t.Fatalf("%s: len %d, src align %d, dst align %d: byte %d outside the copy changed",
						im.Name, n, sa, da, i-da)
				}
			}
		}
		for n := 0; n <= maxLen; n++ {
			check(n%(maxAlign+1), (n*7)%(maxAlign+1), n)
		}
		for sa := 0; sa <= maxAlign; sa++ {
			for da := 0; da <= maxAlign; da++ {
				for _, n := range []int{1, 15, 64, 127, 128, 129, 255, 1023} {
					check(sa, da, n)
				}
			}
		}
	}
}

func TestCopyPanicsOnShortDst(t *testing.T) {
	check := func(name string, f func()) {
		defer func() {
			if r := recover(); r != errShortDst {
				t.Errorf("%s: recovered %v, want %v", name, r, errShortDst)
			}
		}()
		f()
	}
	check("Copy", func() { Copy(make([]byte, 3), make([]byte, 4), 0) })
	for _, im := range Implementations() {
		check(im.Name, func() { im.Copy(make([]byte, 3), make([]byte, 4), 0) })
	}
}

// TestCopyLarge copies across the chunks in which the vector code bounds
// its lanes (1 MiB), with the destination at every offset that matters to
// the alignment of the streaming stores, and on to where Copy streams on
// every machine.
func TestCopyLarge(t *testing.T) {
	copyLarge(t, []int{1500, 4096, 65536 + 1, 1 << 20, 1<<20 + 1, 1<<20 + 32, 1<<20 + 256, 3<<20 + 5})
}

// copyLarge checks every implementation's Copy of each pattern at each
// length, into a destination that holds the complement of the source
// before each copy, so that a byte the copy leaves alone shows.
func copyLarge(t *testing.T, lengths []int) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, n := range lengths {
		for name, src := range patterns(n, rng) {
			buf, fill := make([]byte, n+64), make([]byte, n)
			for i, b := range src {
				fill[i] = ^b
			}
			for _, init := range largeInits(name, 7) {
				want := Fold(refPartial(src, init))
				for _, im := range available(t) {
					for _, da := range []int{0, 1, 33} {
						dst := buf[da : da+n]
						copy(dst, fill)
						if got := Fold(im.Copy(dst, src, init)); got != want || !bytes.Equal(dst, src) {
							t.Errorf("%s: %s data, len %d, dst offset %d, init %#x: sum %#04x, want %#04x; copy equal: %v",
								im.Name, name, n, da, init, got, want, bytes.Equal(dst, src))
						}
					}
				}
			}
		}
	}
}

// TestShortPartial checks the sums Partial itself does for short inputs,
// at every length around them, every alignment and random initial sums.
func TestShortPartial(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 18))
	for name, buf := range patterns(shortLen+16+63, rng) {
		for align := 0; align < 64; align++ {
			for n := 0; n <= shortLen+16; n++ {
				b := buf[align : align+n]
				init := initialSum(rng, n)
				if got, want := Fold(Partial(b, init)), Fold(refPartial(b, init)); got != want {
					t.Fatalf("Partial: %s data, len %d, align %d, init %#x: %#04x, want %#04x",
						name, n, align, init, got, want)
				}
			}
		}
	}
}

// TestUsePinsShortInputs checks that Use pins an implementation so that
// Partial hands it inputs of every length, short ones included, and that
// restore brings the short path back.
func TestUsePinsShortInputs(t *testing.T) {
	if pinned {
		t.Fatal("pinned before any Use: Partial would not sum 8 to 64 bytes itself")
	}
	restore, err := Use(Active())
	if err != nil {
		t.Fatal(err)
	}
	if !pinned {
		t.Error("after Use, Partial still sums short inputs itself")
	}
	restore()
	if pinned {
		t.Error("after restore, Partial no longer sums short inputs itself")
	}
}

func TestEndianness(t *testing.T) {
	if want := binary.NativeEndian.Uint16([]byte{0, 1}) == 1; bigEndian != want {
		t.Errorf("bigEndian = %v, but encoding/binary says %v", bigEndian, want)
	}
}

// TestBlockAdd splits a buffer at every point: the sums of the two pieces,
// the second placed at its offset, make the sum of the whole.
func TestBlockAdd(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	b := patterns(301, rng)["random"]
	for split := 0; split <= len(b); split++ {
		init := Sum(rng.Uint32())
		whole := Fold(Partial(b, init))
		head, tail := Partial(b[:split], init), Partial(b[split:], 0)
		if got := Fold(BlockAdd(head, tail, split)); got != whole {
			t.Fatalf("split at %d: BlockAdd folds to %#04x, whole to %#04x", split, got, whole)
		}
		if got := Fold(BlockSub(Partial(b, init), tail, split)); got != Fold(head) {
			t.Fatalf("split at %d: BlockSub folds to %#04x, head to %#04x", split, got, Fold(head))
		}
	}
}

func TestAddSub(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for range 100000 {
		a, b := Sum(rng.Uint32()), Sum(rng.Uint32())
		if got, want := Add(a, b), fold64(uint64(a)+uint64(b)); got != want {
			t.Fatalf("Add(%#x, %#x) = %#x, want %#x", a, b, got, want)
		}
		if got, want := Fold(Sub(Add(a, b), b)), Fold(a); got != want && a != 0 {
			t.Fatalf("Sub(Add(%#x, %#x), b) folds to %#04x, want %#04x", a, b, got, want)
		}
	}
	// csum_add never makes zero out of non-zero.
	if got := Add(0xffffffff, 1); got != 1 {
		t.Errorf("Add(0xffffffff, 1) = %#x, want 1", got)
	}
}

func TestState(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	b := patterns(5000, rng)["random"]
	for range 200 {
		var st State
		rest := b
		for len(rest) > 0 {
			n := min(len(rest), rng.IntN(40))
			if _, err := st.Write(rest[:n]); err != nil {
				t.Fatal(err)
			}
			rest = rest[n:]
		}
		if st.Off != int64(len(b)) || st.Fold() != Checksum(b) {
			t.Fatalf("State after %d bytes: off %d, %#04x; want %#04x", len(b), st.Off, st.Fold(), Checksum(b))
		}
	}
}

func TestUse(t *testing.T) {
	before := Active()
	for _, im := range Implementations() {
		restore, err := Use(im.Name)
		if !im.Available {
			if err == nil {
				t.Errorf("Use(%q) of an unavailable implementation succeeded", im.Name)
				restore()
			}
			continue
		}
		if err != nil {
			t.Fatalf("Use(%q): %v", im.Name, err)
		}
		if Active() != im.Name {
			t.Errorf("after Use(%q), Active() = %q", im.Name, Active())
		}
		restore()
		if Active() != before {
			t.Errorf("after restore, Active() = %q, want %q", Active(), before)
		}
	}
	if _, err := Use("no-such"); err == nil {
		t.Error(`Use("no-such") succeeded`)
	}
	if best := preferredOn(available(t)[0].Name); before != best {
		t.Errorf("Active() = %q, want the best available for this CPU, %q", before, best)
	}
}

func TestIPHeader(t *testing.T) {
	hdr := []byte{0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
		0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7}
	if got := IPHeader(hdr); got != 0 {
		t.Errorf("IPHeader of a correct header = %#04x, want 0", got)
	}
	long := append(append([]byte{}, hdr...), 1, 2, 3, 4) // with 4 bytes of options
	long[0] = 0x46
	binary.BigEndian.PutUint16(long[10:], 0)
	binary.BigEndian.PutUint16(long[10:], IPHeader(long))
	if fold16(refPartial(long, 0)) != 0xffff {
		t.Errorf("header with options after IPHeader: sum folds to %#x, want 0xffff", fold16(refPartial(long, 0)))
	}
	for _, n := range []int{0, 16, 21, 22, 23} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("IPHeader of %d bytes did not panic", n)
				}
			}()
			IPHeader(make([]byte, n))
		}()
	}
}

var sink16 uint16

// TestNoEscape checks that buffers on the caller's stack stay there: Partial
// and Copy reach their kernels by direct calls, not function values, through
// which every argument would escape to the heap.
func TestNoEscape(t *testing.T) {
	allocs := testing.AllocsPerRun(100, func() {
		var hdr [20]byte
		var small, big [300]byte
		hdr[0] = 0x45
		big[7] = 1
		sink16 = IPHeader(hdr[:]) + Checksum(small[:40]) + Fold(Partial(big[:], 1)) + Fold(Copy(small[:], big[:], 2))
	})
	if allocs != 0 {
		t.Errorf("checksumming buffers on the stack allocates %v times", allocs)
	}
}
