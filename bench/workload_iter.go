package main

import (
	"fmt"

	"github.com/iovkit/iovkit/cshim"
	"github.com/iovkit/iovkit/csum"
	"github.com/iovkit/iovkit/iter"
)

// mustCopy panics when an iterator copied fewer bytes than asked: memory
// that cannot fault did.
func mustCopy(got, want int) {
	if got != want {
		panic(fmt.Sprintf("bench: short copy: %d of %d bytes", got, want))
	}
}

// mustImport returns an iterator over vec in space, which maps every
// segment of every shape: failing to import one is a bug, and panics.
func mustImport(dir iter.Dir, space *cshim.Space, vec []iter.Iovec) iter.Iter {
	it, err := iter.ImportIovec(dir, space, vec)
	if err != nil {
		panic(fmt.Sprintf("bench: importing the user memory of a workload: %v", err))
	}
	return it
}

// builtOnce says how the iterator workloads start each call, as iter's own
// benchmarks do.
const builtOnce = "; each call starts from a copy of an iterator built once (building one is iter's BenchmarkNew)"

// copyToSection measures CopyTo into each shape of Kvec, Bvec and user
// memory against one copy() of the same bytes into contiguous memory and a
// bare loop of one copy() a segment.
func copyToSection(space *cshim.Space) *section {
	s := &section{
		title: "iter.CopyTo",
		pkg:   iterPkg,
		about: "copying into an iterator's segments (Go slices, pages, user memory) " +
			"against one copy() of the same bytes into contiguous memory" + builtOnce,
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
		copyTo := func(tmpl iter.Iter) func(int) {
			return func(k int) {
				for range k {
					it := tmpl
					mustCopy(it.CopyTo(src), total)
				}
			}
		}
		loopSegs := kvecOf(sh)
		add(&fn{bench: "CopyTo", sub: "shape=" + sh.name + "/kind=loop", label: loopLabel, peer: true, segs: sh.segs,
			run: func(k int) {
				for range k {
					n := 0
					for _, seg := range loopSegs {
						n += copy(seg, src[n:])
					}
					mustCopy(n, total)
				}
			}})
		add(&fn{bench: "CopyTo", sub: "shape=" + sh.name + "/kind=kvec", label: "Kvec", segs: sh.segs, goal: kvecGoal(sh),
			run: copyTo(iter.NewKvec(iter.Dest, kvecOf(sh)))})
		add(&fn{bench: "CopyTo", sub: "shape=" + sh.name + "/kind=bvec", label: "Bvec", segs: sh.segs,
			run: copyTo(iter.NewBvec(iter.Dest, bvecOf(sh)))})
		add(&fn{bench: "CopyToUser", sub: "shape=" + sh.name + "/kind=iovec", label: "Iovec (user memory)", segs: sh.segs,
			goal: iovecGoal(sh), run: copyTo(mustImport(iter.Dest, space, iovecOf(space, sh)))})
	}
	return s
}

// Labels of the references that goals name.
const (
	copyLabel     = "copy() contiguous"
	loopLabel     = "copy() a segment"
	csumCopyLabel = "csum.Copy contiguous"
)

// kvecGoal returns the goal for CopyTo into a Kvec of shape sh: near one
// copy() for whole pages, and near a bare loop of one copy() a segment
// (the loop a caller would write instead) for small segments.
func kvecGoal(sh shape) *goal {
	switch sh.name {
	case "16x4096":
		return &goal{ref: copyLabel, ratio: 0.9}
	case "3x500":
		return &goal{ref: loopLabel, maxTime: 1.3}
	case "1024x1":
		return &goal{ref: loopLabel, maxTime: 1.5}
	}
	return nil
}

// iovecGoal returns the goal for CopyTo into user memory of shape sh: a
// fraction of the same copy into a Kvec, lower below a page.
func iovecGoal(sh shape) *goal {
	if sh.total() < iter.PageSize {
		return &goal{ref: "Kvec", ratio: 0.7}
	}
	return &goal{ref: "Kvec", ratio: 0.9}
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
			"against csum.Copy of the same bytes in contiguous memory" + builtOnce,
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
	csumCopy := func(tmpl iter.Iter) func(int) {
		return func(k int) {
			for range k {
				it := tmpl
				var st csum.State
				mustCopy(it.CsumAndCopyFrom(dst, &st), total)
				sinkSum = st.Sum
			}
		}
	}
	kvec := iter.NewKvec(iter.Source, kvecOf(sh))
	add(&fn{bench: "CsumAndCopyFrom", sub: "kind=kvec", label: "Kvec", segs: sh.segs, goal: &goal{ref: csumCopyLabel, ratio: 0.85},
		run: csumCopy(kvec)})
	add(&fn{bench: "CsumAndCopyFrom", sub: "kind=kvec-copy-then-sum", label: "Kvec CopyFrom, then csum.Partial", segs: sh.segs,
		run: func(k int) {
			for range k {
				it := kvec
				mustCopy(it.CopyFrom(dst), total)
				sinkSum = csum.Partial(dst, 0)
			}
		}})
	add(&fn{bench: "CsumAndCopyFromUser", sub: "kind=iovec", label: "Iovec (user memory)", segs: sh.segs,
		run: csumCopy(mustImport(iter.Source, space, iovecOf(space, sh)))})
	return s
}
