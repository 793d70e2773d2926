package iter_test

import (
	"fmt"
	"os"

	"github.com/iovkit/iovkit/csum"
	"github.com/iovkit/iovkit/iter"
)

// Scatter a message over three buffers, then gather it back.
func ExampleNewKvec() {
	a, b, c := make([]byte, 4), make([]byte, 0), make([]byte, 8)
	dst := iter.NewKvec(iter.Dest, [][]byte{a, b, c})
	n := dst.CopyTo([]byte("scatter-gather"))
	fmt.Printf("copied %d, %d left: %q %q\n", n, dst.Count(), a, c)

	src := iter.NewKvec(iter.Source, [][]byte{a, c})
	out := make([]byte, 12)
	src.CopyFrom(out)
	fmt.Printf("%q\n", out)
	// Output:
	// copied 12, 0 left: "scat" "ter-gath"
	// "scatter-gath"
}

// Checksum a packet while copying it out of page fragments, as a network
// stack does when it receives into pages.
func ExampleIter_CsumAndCopyFrom() {
	var pool iter.PagePool
	p1, p2 := pool.Get(), pool.Get()
	defer pool.Put(p1)
	defer pool.Put(p2)
	copy(p1[4000:], "a packet spli")
	copy(p2[0:], "t over two pages")
	src := iter.NewBvec(iter.Source, []iter.Bvec{{Page: p1, Offset: 4000, Len: 13}, {Page: p2, Len: 16}})

	var st csum.State
	pkt := make([]byte, src.Count())
	src.CsumAndCopyFrom(pkt, &st)
	fmt.Printf("%q, checksum right: %v\n", pkt, st.Fold() == csum.Checksum(pkt))
	// Output: "a packet split over two pages", checksum right: true
}

// Undo part of a copy, as a short write is rolled back.
func ExampleIter_Revert() {
	buf := make([]byte, 10)
	it := iter.NewKvec(iter.Dest, [][]byte{buf[:5], buf[5:]})
	it.CopyTo([]byte("abcdefgh"))
	it.Revert(5) // the last five bytes did not make it
	it.CopyTo([]byte("XYZ"))
	fmt.Printf("%q, %d left\n", buf, it.Count())
	// Output: "abcXYZgh\x00\x00", 4 left
}

// Write two buffers to a file with one writev(2).
func ExampleWritev() {
	f, err := os.CreateTemp("", "iovkit")
	if err != nil {
		panic(err)
	}
	defer os.Remove(f.Name())
	defer f.Close()
	it := iter.NewKvec(iter.Source, [][]byte{[]byte("hello, "), []byte("writev\n")})
	n, err := iter.Writev(int(f.Fd()), &it)
	fmt.Println(n, err, it.Count())
	// Output: 14 <nil> 0
}

// Drop the rest of a stream: a discard iterator only counts.
func ExampleNewDiscard() {
	d := iter.NewDiscard(100)
	n := d.CopyTo(make([]byte, 60))
	fmt.Println(n, d.Count())
	// Output: 60 40
}
