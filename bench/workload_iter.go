package main

import (
	"fmt"

	"github.com/iovkit/iovkit/cshim"
	"github.com/iovkit/iovkit/csum"
	"github.com/iovkit/iovkit/iter"
)

// A shape is a layout of segments, named as iter's benchmarks name it.
type shape struct {
	name       string
	segs, size int // segments and bytes per segment
}

func (sh shape) total() int { return sh.segs * sh.size }

// shapes are the layouts of DESIGN.md's iterator goals: a 64 KiB copy in
// pages, a packet in three pieces, and 1-byte segments.
var shapes = []shape{{"16x4096", 16, 4096}, {"3x500", 3, 500}, {"1024x1", 1024, 1}}

// csumShape is the layout of the checksummed copies.
var csumShape = shapes[0]

// userSpaceSize is the user memory the iovec workloads use: room for the
// largest shape.
const userSpaceSize = 64 << 10

// newUserSpace returns a simulated user address space with every page
// mapped, for the iovec workloads. It lives as long as the process.
func newUserSpace() (*cshim.Space, error) {
	s, err := cshim.NewSpace(userSpaceSize)
	if err != nil {
		return nil, err
	}
	if err := s.Map(s.Base(), int(s.End()-s.Base()), cshim.ProtRead|cshim.ProtWrite); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// kvecOf cuts one new buffer into the segments of sh.
func kvecOf(sh shape) [][]byte {
	buf := make([]byte, sh.total())
	segs := make([][]byte, sh.segs)
	for i := range segs {
		segs[i] = buf[i*sh.size : (i+1)*sh.size]
	}
	return segs
}

// bvecOf lays the segments of sh out one after another over new pages.
// Every shape's segments fit their pages.
func bvecOf(sh shape) []iter.Bvec {
	pages := make([]iter.Page, (sh.total()+iter.PageSize-1)/iter.PageSize)
	segs := make([]iter.Bvec, sh.segs)
	for i := range segs {
		off := i * sh.size
		segs[i] = iter.Bvec{Page: &pages[off/iter.PageSize], Offset: off % iter.PageSize, Len: sh.size}
	}
	return segs
}

// iovecOf lays the segments of sh out one after another from the start of
// the user space s.
func iovecOf(s *cshim.Space, sh shape) []iter.Iovec {
	vec := make([]iter.Iovec, sh.segs)
	for i := range vec {
		vec[i] = iter.Iovec{Base: s.Base() + uintptr(i*sh.size), Len: uint64(sh.size)}
	}
	return vec
}

// mustCopy panics when an iterator copied fewer bytes than asked: memory
// that cannot fault did.
func mustCopy(got, want int) {
	if got != want {
		panic(fmt.Sprintf("bench: short copy: %d of %d bytes", got, want))
	}
}

// copyToSection measures CopyTo into each shape of Kvec, Bvec and user
// memory against one copy() of the same bytes into contiguous memory.
func copyToSection(space *cshim.Space) *section {
	s := &section{
		title: "iter.CopyTo",
		pkg:   iterPkg,
		about: "copying into an iterator's segments (Go slices, pages, user memory) " +
			"against one copy() of the same bytes into contiguous memory",
	}
	for _, sh := range shapes {
		total, src := sh.total(), newBuffers(sh.total()).src
		set := fmt.Sprintf("%s into %d × %s", formatSize(total), sh.segs, formatSize(sh.size))
		add := func(f *fn) {
			f.set, f.size = set, total
			s.fns = append(s.fns, f)
		}
		dst := make([]byte, total)
		add(&fn{bench: "CopyTo", sub: "shape=" + sh.name + "/kind=copy", label: copyLabel, peer: true,
			run: func(k int) {
				for range k {
					copy(dst, src)
				}
			}})
		kvec := kvecOf(sh)
		add(&fn{bench: "CopyTo", sub: "shape=" + sh.name + "/kind=kvec", label: "Kvec", segs: sh.segs, goal: kvecGoal(sh),
			run: func(k int) {
				for range k {
					it := iter.NewKvec(iter.Dest, kvec)
					mustCopy(it.CopyTo(src), total)
				}
			}})
		bvec := bvecOf(sh)
		add(&fn{bench: "CopyTo", sub: "shape=" + sh.name + "/kind=bvec", label: "Bvec", segs: sh.segs,
			run: func(k int) {
				for range k {
					it := iter.NewBvec(iter.Dest, bvec)
					mustCopy(it.CopyTo(src), total)
				}
			}})
		vec := iovecOf(space, sh)
		add(&fn{bench: "CopyToUser", sub: "shape=" + sh.name + "/kind=iovec", label: "Iovec (user memory)", segs: sh.segs,
			goal: &goal{ref: "Kvec", ratio: 0.9},
			run: func(k int) {
				for range k {
					it, err := iter.ImportIovec(iter.Dest, space, vec)
					if err != nil {
						panic(err)
					}
					mustCopy(it.CopyTo(src), total)
				}
			}})
	}
	return s
}

// Labels of the references that goals name.
const (
	copyLabel     = "copy() contiguous"
	csumCopyLabel = "csum.Copy contiguous"
)

// kvecGoal returns DESIGN.md's goal for CopyTo into a Kvec of shape sh.
func kvecGoal(sh shape) *goal {
	switch sh.name {
	case "16x4096":
		return &goal{ref: copyLabel, ratio: 0.9}
	case "1024x1":
		return &goal{nsSeg: 5}
	}
	return nil
}

// csumCopySection measures CsumAndCopyFrom out of 16 segments against
// csum.Copy of the same bytes in contiguous memory and against a CopyFrom
// followed by csum.Partial.
func csumCopySection(space *cshim.Space) *section {
	sh := csumShape
	total := sh.total()
	s := &section{
		title: "iter.CsumAndCopyFrom",
		pkg:   iterPkg,
		about: "checksumming while copying out of an iterator's segments " +
			"against csum.Copy of the same bytes in contiguous memory",
	}
	set := fmt.Sprintf("%s from %d × %s", formatSize(total), sh.segs, formatSize(sh.size))
	add := func(f *fn) {
		f.set, f.size = set, total
		s.fns = append(s.fns, f)
	}
	bufs := newBuffers(total)
	dst, src := bufs.dst, bufs.src
	add(&fn{bench: "CsumAndCopyFrom", sub: "kind=csum.Copy", label: csumCopyLabel, peer: true,
		run: func(k int) {
			var sum csum.Sum
			for range k {
				sum = csum.Copy(dst, src, sum)
			}
			sinkSum = sum
		}})
	kvec := kvecOf(sh)
	add(&fn{bench: "CsumAndCopyFrom", sub: "kind=kvec", label: "Kvec", segs: sh.segs, goal: &goal{ref: csumCopyLabel, ratio: 0.85},
		run: func(k int) {
			for range k {
				it := iter.NewKvec(iter.Source, kvec)
				var st csum.State
				mustCopy(it.CsumAndCopyFrom(dst, &st), total)
				sinkSum = st.Sum
			}
		}})
	add(&fn{bench: "CsumAndCopyFrom", sub: "kind=kvec-copy-then-sum", label: "Kvec CopyFrom, then csum.Partial", segs: sh.segs,
		run: func(k int) {
			for range k {
				it := iter.NewKvec(iter.Source, kvec)
				mustCopy(it.CopyFrom(dst), total)
				sinkSum = csum.Partial(dst, 0)
			}
		}})
	vec := iovecOf(space, sh)
	add(&fn{bench: "CsumAndCopyFromUser", sub: "kind=iovec", label: "Iovec (user memory)", segs: sh.segs,
		run: func(k int) {
			for range k {
				it, err := iter.ImportIovec(iter.Source, space, vec)
				if err != nil {
					panic(err)
				}
				var st csum.State
				mustCopy(it.CsumAndCopyFrom(dst, &st), total)
				sinkSum = st.Sum
			}
		}})
	return s
}
