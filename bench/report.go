package main

import (
	"fmt"
	"time"

	"github.com/iovkit/iovkit/csum"
)

// A report is a finished or interrupted run: everything its outputs show.
type report struct {
	when        time.Time
	machine     machine
	sections    []*section
	measured    map[*fn]measurement // the samples in the order taken
	results     map[*fn]*result
	rounds      int // asked for
	roundsDone  int
	batch       time.Duration
	elapsed     time.Duration
	interrupted bool
}

// buildSections returns the report's sections: csum at these sizes with
// the implementations this CPU runs, then the iterator workloads.
func buildSections(impls []csum.Implementation, sizes []int) ([]*section, error) {
	space, err := newUserSpace()
	if err != nil {
		return nil, fmt.Errorf("user memory for the iovec workloads: %w", err)
	}
	bufs := newBuffers(sizes[len(sizes)-1])
	impls = available(impls)
	return []*section{
		partialSection(impls, sizes, bufs),
		copySection(impls, sizes, bufs),
		copyToSection(space),
		csumCopySection(space),
	}, nil
}

// newReport summarizes what measure returned.
func newReport(m machine, secs []*section, ms []measurement, rounds, done int, batch time.Duration, start time.Time, interrupted bool) *report {
	res := summarize(ms)
	compareToPeers(secs, res)
	byFn := map[*fn]measurement{}
	for _, m := range ms {
		byFn[m.fn] = m
	}
	return &report{
		when: start, machine: m, sections: secs, measured: byFn, results: res,
		rounds: rounds, roundsDone: done, batch: batch, elapsed: time.Since(start), interrupted: interrupted,
	}
}

// status says how much of the run the figures cover.
func (rep *report) status() string {
	s := fmt.Sprintf("%d rounds of %v batches, %d functions interleaved, in %v",
		rep.rounds, shortDuration(rep.batch), len(allFns(rep.sections)), rep.elapsed.Round(time.Second))
	if rep.interrupted {
		s = fmt.Sprintf("INTERRUPTED after %d of %d rounds (a function may have one sample more than another): ", rep.roundsDone, rep.rounds) + s
	}
	return s
}

// shortDuration rounds a batch time for people: to the millisecond from
// 10 ms up, to 10 µs below.
func shortDuration(d time.Duration) time.Duration {
	if d >= 10*time.Millisecond {
		return d.Round(time.Millisecond)
	}
	return d.Round(10 * time.Microsecond)
}
