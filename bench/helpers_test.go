package main

import (
	"time"
)

// fakeReport returns a report over made-up samples: a charted csum section
// at two sizes with one peer, and an iterator section with a goal.
func fakeReport(emulated bool) *report {
	noop := func(int) {}
	partial := &section{title: "csum.Partial", pkg: csumPkg, about: "about partial", chart: "partial"}
	for _, n := range []int{20, 1500} {
		set := formatSize(n)
		partial.fns = append(partial.fns,
			&fn{bench: "Partial", sub: "impl=avx2/size=" + shortSize(n), set: set, label: "amd64-avx2", size: n, run: noop},
			&fn{bench: "Partial", sub: "impl=gvisor/size=" + shortSize(n), set: set, label: "gvisor", size: n, peer: true, run: noop},
		)
	}
	copyTo := &section{title: "iter.CopyTo", pkg: iterPkg, about: "about copyto", fns: []*fn{
		{bench: "CopyTo", sub: "shape=16x4096/kind=copy", set: "64 KiB", label: copyLabel, size: 65536, peer: true, run: noop},
		{bench: "CopyTo", sub: "shape=16x4096/kind=kvec", set: "64 KiB", label: "Kvec", size: 65536, segs: 16,
			goal: &goal{ref: copyLabel, ratio: 0.9}, run: noop},
		{bench: "CopyTo", sub: "shape=1024x1/kind=loop", set: "1 KiB", label: loopLabel, size: 1024, segs: 1024, peer: true, run: noop},
		{bench: "CopyTo", sub: "shape=1024x1/kind=kvec", set: "1 KiB", label: "Kvec", size: 1024, segs: 1024,
			goal: &goal{ref: loopLabel, maxTime: 2.5}, run: noop},
	}}
	secs := []*section{partial, copyTo}
	// Medians: avx2 2 and 20 ns, gvisor 4 and 80 ns, copy 1000, kvec 1250,
	// the loop over 1-byte segments 2048, 1-byte kvec 4096.
	medians := []float64{2, 4, 20, 80, 1000, 1250, 2048, 4096}
	var ms []measurement
	for i, f := range allFns(secs) {
		m := medians[i]
		ms = append(ms, measurement{fn: f, iters: 1000, ns: []float64{m * 1.02, m, m * 0.99, m * 1.01, m, m * 0.98, m}})
	}
	emu := emulation{false, "amd64", "native"}
	if emulated {
		emu = emulation{true, "amd64", "/proc/sys/kernel/arch describes amd64, this binary is arm64"}
	}
	m := machine{cpu: "Test CPU", brand: "Test CPU", goarch: "amd64", procs: 2, emu: emu}
	return newReport(m, secs, ms, 7, 7, 10*time.Millisecond, time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), false)
}
