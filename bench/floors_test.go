package main

import (
	"bytes"
	"context"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/iovkit/iovkit/csum"
)

func TestFindFloors(t *testing.T) {
	for _, sizes := range [][]int{quickSizes, defaultSizes} {
		secs, err := buildSections(csum.Implementations(), sizes)
		if err != nil {
			t.Fatal(err)
		}
		checks, err := findFloors(floors, allFns(secs))
		if err != nil {
			t.Fatalf("sizes %v: %v", sizes, err)
		}
		for _, c := range checks {
			if c.heldFn.size != c.size || c.refFn.size != c.size {
				t.Errorf("floor of %s: %d bytes, its functions copy %d and %d", c.what, c.size, c.heldFn.size, c.refFn.size)
			}
		}
	}
	secs, err := buildSections(csum.Implementations(), []int{1500})
	if err != nil {
		t.Fatal(err)
	}
	_, err = findFloors(floors, allFns(secs))
	if err == nil || !strings.Contains(err.Error(), "Copy/impl=default/size=4096") || !strings.Contains(err.Error(), "sizes 4K and 64K") {
		t.Errorf("findFloors without 4 KiB = %v, want the missing functions named", err)
	}
}

// byteCopy copies src into dst one byte at a time: a cliff, tens of times
// slower than copy().
//
//go:noinline
func byteCopy(dst, src []byte) {
	for i := range src {
		dst[i] = src[i]
	}
}

// TestFloorsCatchACliff measures the floors' functions, with a byte-at-a-time
// copy standing in for csum.Copy at 4 KiB and for the user-memory copy at
// 64 KiB, and checks that exactly those two floors fail: the stand-ins
// fail theirs, the real kernels hold theirs (natively: an emulated run
// judges no floor).
func TestFloorsCatchACliff(t *testing.T) {
	secs, err := buildSections(csum.Implementations(), quickSizes)
	if err != nil {
		t.Fatal(err)
	}
	checks, err := findFloors(floors, allFns(secs))
	if err != nil {
		t.Fatal(err)
	}
	slow := map[string]bool{"Copy/impl=default/size=4096": true, "CopyToUser/shape=16x4096/kind=iovec": true}
	var fns []*fn
	for i, c := range checks {
		if slow[c.held] {
			dst, src := make([]byte, c.size), newBuffers(c.size).src
			checks[i].heldFn = &fn{bench: c.heldFn.bench, sub: c.heldFn.sub + "/byte-at-a-time", label: "byte loop", size: c.size,
				run: func(k int) {
					for range k {
						byteCopy(dst, src)
					}
				}}
		}
		fns = append(fns, checks[i].heldFn, checks[i].refFn)
	}
	ms, done := measure(context.Background(), fns, quickRounds, quickBatch, newProgress(io.Discard, false, ""))
	rep := newReport(describeMachine(), nil, ms, quickRounds, done, quickBatch, time.Now(), false)
	emulated := rep.machine.emu.emulated
	for _, c := range checks {
		v, verd := c.judge(rep.results, rep.machine.active)
		switch {
		case verd == floorMoot && c.unless == rep.machine.active:
		case slow[c.held] && verd != floorFailed:
			t.Errorf("a byte-at-a-time copy standing in for %s at %s: %.2f× %s, verdict %d, want the floor (%g×) to fail",
				c.what, formatSize(c.size), v, c.refFn.label, verd, c.ratio)
		case !slow[c.held] && verd != floorHeld && !emulated: // an emulator's timings are not the kernels'
			t.Errorf("%s at %s: %.2f× %s, verdict %d, want the floor (%g×) held", c.what, formatSize(c.size), v, c.refFn.label, verd, c.ratio)
		}
	}
	var b bytes.Buffer
	if ok := checkFloors(&b, rep, checks); ok != emulated {
		t.Errorf("checkFloors = %v, want false (true only where emulated: it judges nothing there):\n%s", ok, b.String())
	}
	t.Log(b.String())
}

// spread is how made-up samples vary around their median.
var spread = []float64{1.02, 1, 0.99, 1.01, 1, 0.98, 1.03}

// around returns made-up samples with median ns.
func around(ns float64) []float64 {
	out := make([]float64, len(spread))
	for i, f := range spread {
		out[i] = ns * f
	}
	return out
}

// floorReport returns a report over made-up samples of check c's
// functions: held's times are heldNS, ref's around 100 ns.
func floorReport(c floorCheck, heldNS []float64, emulated bool) *report {
	ms := []measurement{{fn: c.heldFn, iters: 1, ns: heldNS}, {fn: c.refFn, iters: 1, ns: around(100)}}
	m := machine{cpu: "Test CPU", goarch: "amd64", active: "amd64-avx2", emu: emulation{emulated: emulated}}
	return newReport(m, nil, ms, len(spread), len(spread), time.Millisecond, time.Now(), false)
}

func TestCheckFloors(t *testing.T) {
	c := floorCheck{
		floor:  floor{what: "thing", size: 4096, ratio: 0.5, goal: "≥ 0.9× ref", unless: "generic"},
		heldFn: &fn{label: "thing", size: 4096},
		refFn:  &fn{label: "ref", size: 4096},
	}
	for _, tc := range []struct {
		heldNS   []float64
		emulated bool
		ok       bool
		want     string
	}{
		{around(150), false, true, "≥ 0.5× ref 0.67× ≥ 0.9× ref held"},
		{around(300), false, false, "≥ 0.5× ref 0.33× ≥ 0.9× ref FAILED"},
		{around(205), false, false, "≥ 0.5× ref 0.49× ≥ 0.9× ref FAILED"},
		// Below the floor by the fastest batches, but in a U-test over all
		// of them not significantly: the floor holds.
		{[]float64{201, 201, 201, 201, 202, 500, 500}, false, true, "0.49× ≥ 0.9× ref held"},
		// Above the floor by the fastest batches, though slower by the
		// median (a loaded machine): the floor holds.
		{[]float64{150, 150, 300, 300, 300, 300, 300}, false, true, "0.65× ≥ 0.9× ref held"},
		{around(300), true, true, "floors not judged under emulation (see make bench-model)"},
	} {
		var b bytes.Buffer
		rep := floorReport(c, tc.heldNS, tc.emulated)
		ok := checkFloors(&b, rep, []floorCheck{c})
		if words := strings.Join(strings.Fields(b.String()), " "); ok != tc.ok || !strings.Contains(words, tc.want) {
			t.Errorf("held at %v ns against 100 (emulated %v): ok %v, output\n%s\nwant ok %v and %q", tc.heldNS, tc.emulated, ok, b.String(), tc.ok, tc.want)
		}
	}
	rep := floorReport(c, around(300), false)
	if _, verd := c.judge(rep.results, "generic"); verd != floorMoot {
		t.Errorf("with generic active: verdict %d, want moot", verd)
	}
	delete(rep.results, c.refFn)
	if _, verd := c.judge(rep.results, "amd64-avx2"); verd != floorUnmeasured {
		t.Errorf("reference unmeasured: verdict %d, want unmeasured", verd)
	}
}

// TestRunFloors checks the command's handling of floors: a usage error
// before measuring when a floor's sizes are not asked for, and a run that
// prints the tables, marks a failed floor and exits 1.
func TestRunFloors(t *testing.T) {
	var out, errs bytes.Buffer
	if st := run([]string{"-floors", "-sizes", "1500"}, &out, &errs); st != exitUsage || !strings.Contains(errs.String(), "sizes 4K and 64K") {
		t.Errorf("-floors -sizes 1500: exit status %d, stderr %q; want %d and the missing sizes", st, errs.String(), exitUsage)
	}

	// Floors no implementation can hold, so far above that even a batch of
	// the reference slowed down a thousandfold by other load leaves each
	// significant.
	saved := floors
	t.Cleanup(func() { floors = saved })
	floors = slices.Clone(floors)
	for i := range floors {
		floors[i].ratio, floors[i].unless = 1e6, ""
	}
	out.Reset()
	errs.Reset()
	st := run([]string{"-quick", "-time", "200us", "-out", t.TempDir()}, &out, &errs)
	if describeMachine().emu.emulated { // no floor is judged
		if st != 0 || !strings.Contains(out.String(), "not judged") {
			t.Errorf("impossible floors, emulated: exit status %d, want 0 and floors not judged:\n%s", st, out.String())
		}
		return
	}
	if st != exitFail || !strings.Contains(errs.String(), "regression floor FAILED") {
		t.Errorf("impossible floors: exit status %d, stderr %q; want %d", st, errs.String(), exitFail)
	}
	for _, want := range []string{"== csum.Partial", "== iter.CopyTo", "== regression floors", "≥ 1e+06× generic"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("stdout lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Count(out.String(), "FAILED") != len(floors) {
		t.Errorf("stdout does not mark each of the %d floors FAILED:\n%s", len(floors), out.String())
	}
}
