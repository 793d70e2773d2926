package main

import (
	"fmt"

	"github.com/iovkit/iovkit/csum"
)

// A fn is one measured function: how to call it and where the report puts
// it.
type fn struct {
	bench string // its go test -bench name, without "Benchmark": "Partial"
	sub   string // and sub-benchmark: "impl=generic/size=1500"
	set   string // the comparison set in its section: "1500 B"
	label string // its name in the set: "generic", "gvisor", "Kvec"
	size  int    // bytes per call, for GB/s and the chart
	segs  int    // segments per call, for ns per segment; 0 if none
	peer  bool   // a reference the rest of its set is compared with
	goal  *goal  // its goal in docs/performance.md, if any
	run   func(n int)
}

// name is the function's full go test -bench name, without "Benchmark" and
// GOMAXPROCS.
func (f *fn) name() string { return f.bench + "/" + f.sub }

// A section is one table of the report: functions in comparison sets.
type section struct {
	title string // "csum.Partial"
	pkg   string // the package whose go test benchmarks of the same names these reproduce
	about string // one sentence on what is measured and against what
	chart string // file name stem of its throughput chart; "" for none
	fns   []*fn
}

// Packages of the go test benchmarks that the sections reproduce.
const (
	csumPkg = "github.com/iovkit/iovkit/csum"
	iterPkg = "github.com/iovkit/iovkit/iter"
)

// sets returns the names of the section's comparison sets in order.
func (s *section) sets() []string {
	var names []string
	for _, f := range s.fns {
		if len(names) == 0 || names[len(names)-1] != f.set {
			names = append(names, f.set)
		}
	}
	return names
}

// Sinks keep the results of measured calls alive. Each run function has
// its own loop, as a go test benchmark has, so that a call costs the same
// as there.
var (
	sinkInt   int
	sinkSum   csum.Sum
	sinkSum16 uint16
)

// allFns returns every function of the sections, in order.
func allFns(secs []*section) []*fn {
	var fns []*fn
	for _, s := range secs {
		fns = append(fns, s.fns...)
	}
	return fns
}

// A goal is one of the performance goals of docs/performance.md for a
// function, held to another function of its set (ref): at least a fraction
// of ref's speed, or at most a multiple of ref's time.
type goal struct {
	ref     string  // the label of the function it is held to
	ratio   float64 // the least fraction of ref's speed; 0 when maxTime is set
	maxTime float64 // the most times ref's time
}

func (g *goal) String() string {
	if g.maxTime > 0 {
		return fmt.Sprintf("≤ %g× the time of %s", g.maxTime, g.ref)
	}
	return fmt.Sprintf("≥ %g× %s", g.ratio, g.ref)
}
