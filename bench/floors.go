package main

import (
	"fmt"
	"io"
	"strings"

	"golang.org/x/perf/benchmath"
)

// A floor is a regression floor: the least speed of one function of the
// report as a fraction of another's, measured interleaved in the same run.
// Each is about half of a goal of docs/performance.md, so that the noise
// of a shared CI machine does not trip it and a cliff (a function many
// times slower than it should be on the CPU at hand) does.
type floor struct {
	what  string  // the function held, for people
	size  int     // bytes per call
	held  string  // its go test -bench name, without "Benchmark"
	ref   string  // the name of the function it is held to
	ratio float64 // the least speed of held as a fraction of ref's
	goal  string  // the goal of docs/performance.md it halves
	// unless names a csum implementation that, when active, makes held and
	// ref the same code, so that the floor says nothing; "" for none.
	unless string
}

// floors are the floors that bench -floors (and so -quick, and make test)
// asserts. -floors needs the sizes named here among the csum sizes.
var floors = []floor{
	{what: "user-memory copy (iter.CopyTo into an Iovec)", size: 4 << 10,
		held: "CopyToUser/shape=1x4096/kind=iovec", ref: "CopyTo/shape=1x4096/kind=kvec",
		ratio: 0.5, goal: "≥ 0.9× the same copy into a Kvec"},
	{what: "user-memory copy (iter.CopyTo into an Iovec)", size: 64 << 10,
		held: "CopyToUser/shape=16x4096/kind=iovec", ref: "CopyTo/shape=16x4096/kind=kvec",
		ratio: 0.5, goal: "≥ 0.9× the same copy into a Kvec"},
	{what: "csum.Copy", size: 4 << 10,
		held: "Copy/impl=default/size=4096", ref: "Copy/impl=memmove/size=4096",
		ratio: 0.5, goal: "≥ 0.85× copy() (≥ 0.75× on split-256-bit CPUs)"},
	{what: "csum.Copy", size: 64 << 10,
		held: "Copy/impl=default/size=65536", ref: "Copy/impl=memmove/size=65536",
		ratio: 0.5, goal: "≥ 0.9× copy()"},
	{what: "csum.Partial (active)", size: 4 << 10,
		held: "Partial/impl=default/size=4096", ref: "Partial/impl=generic/size=4096",
		ratio: 1.0, goal: "≥ 2× gVisor, where generic is about 1× gVisor", unless: "generic"},
}

// A floorCheck is a floor with the functions of a run it compares.
type floorCheck struct {
	floor
	heldFn, refFn *fn
}

// findFloors returns the checks of every floor over fns, or an error
// naming the functions fns lacks.
func findFloors(fs []floor, fns []*fn) ([]floorCheck, error) {
	byName := map[string]*fn{}
	for _, f := range fns {
		byName[f.name()] = f
	}
	var checks []floorCheck
	var missing []string
	for _, fl := range fs {
		held, ref := byName[fl.held], byName[fl.ref]
		for _, m := range []struct {
			f    *fn
			name string
		}{{held, fl.held}, {ref, fl.ref}} {
			if m.f == nil {
				missing = append(missing, m.name)
			}
		}
		checks = append(checks, floorCheck{fl, held, ref})
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("-floors needs functions this run lacks (are sizes 4K and 64K among -sizes?): %s",
			strings.Join(missing, ", "))
	}
	return checks, nil
}

// A verdict is what a floor check found.
type verdict int

const (
	floorHeld       verdict = iota // the ratio is at least the floor
	floorFailed                    // below the floor
	floorUnmeasured                // a function has no samples (an interrupted run)
	floorMoot                      // the active implementation makes the floor say nothing
)

// judge returns the measured speed ratio of c's functions and the verdict,
// with active the csum implementation that csum.Partial and csum.Copy run.
// The ratio is that of each function's fastest batch (see fastest). A
// floor fails when that ratio is below it and a U-test over all batches
// finds held slower than the floor allows: a cliff, not a bad moment.
func (c floorCheck) judge(res map[*fn]*result, active string) (float64, verdict) {
	h, r := res[c.heldFn], res[c.refFn]
	switch {
	case c.unless != "" && active == c.unless:
		return 0, floorMoot
	case h == nil || r == nil:
		return 0, floorUnmeasured
	}
	v := r.fastest() / h.fastest()
	if v < c.ratio && slowerThanFloor(h, r, c.ratio) {
		return v, floorFailed
	}
	return v, floorHeld
}

// slowerThanFloor reports whether a U-test finds the times of h
// significantly longer than those of ref scaled to the floor (ref's time
// over ratio): a few slow batches of a loaded machine then do not fail a
// floor, a cliff does.
func slowerThanFloor(h, ref *result, ratio float64) bool {
	allowed := make([]float64, len(ref.sample.Values))
	for i, ns := range ref.sample.Values {
		allowed[i] = ns / ratio
	}
	c := benchmath.AssumeNothing.Compare(h.sample, benchmath.NewSample(allowed, &benchmath.DefaultThresholds))
	return c.P <= c.Alpha
}

// checkFloors prints the floors of rep as a table to w and reports whether
// none failed. An emulated run judges none: its timings are the
// emulator's.
func checkFloors(w io.Writer, rep *report, checks []floorCheck) bool {
	prefix := rep.machine.linePrefix()
	fmt.Fprintf(w, "\n%s== regression floors: about half of a goal of docs/performance.md, measured interleaved\n", prefix)
	if rep.machine.emu.emulated {
		fmt.Fprintf(w, "%sfloors %s\n", prefix, notJudged)
		return true
	}
	t, ok := rep.floorTable(checks)
	for _, l := range t.lines() {
		fmt.Fprintln(w, prefix+l)
	}
	return ok
}

// floorTable returns the verdicts on the floors of checks as a table, and
// whether none failed.
func (rep *report) floorTable(checks []floorCheck) (table, bool) {
	t := table{header: []string{"floor", "size", "least", "fastest batches", "the goal it halves", "verdict"},
		right: []bool{false, true, false, true, false, false}}
	ok := true
	for _, c := range checks {
		v, verd := c.judge(rep.results, rep.machine.active)
		row := []string{c.what, formatSize(c.size), fmt.Sprintf("≥ %g× %s", c.ratio, c.refFn.label),
			fmt.Sprintf("%.2f×", v), c.goal, "held"}
		switch verd {
		case floorFailed:
			row[5], ok = "FAILED", false
		case floorUnmeasured:
			row[3], row[5] = "", "not measured (interrupted)"
		case floorMoot:
			row[3], row[5] = "", "not judged: "+c.unless+" is active"
		}
		t.rows, t.starts = append(t.rows, row), append(t.starts, false)
	}
	return t, ok
}
