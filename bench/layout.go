package main

import (
	"github.com/iovkit/iovkit/cshim"
	"github.com/iovkit/iovkit/iter"
)

// A shape is a layout of segments, named as iter's benchmarks name it.
type shape struct {
	name       string
	segs, size int // segments and bytes per segment
}

func (sh shape) total() int { return sh.segs * sh.size }

// shapes are the layouts of the iterator goals of docs/performance.md: a
// 64 KiB copy in pages, one page, a packet in one piece and in three, and
// 1-byte segments.
var shapes = []shape{{"16x4096", 16, 4096}, {"1x4096", 1, 4096}, {"1x1500", 1, 1500}, {"3x500", 3, 500}, {"1024x1", 1024, 1}}

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
