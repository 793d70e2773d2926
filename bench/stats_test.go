package main

import (
	"math"
	"testing"
)

func TestSummarizeAndCompare(t *testing.T) {
	rep := fakeReport(false)
	byLabel := func(set, label string) *result {
		for _, r := range rep.results {
			if r.fn.set == set && r.fn.label == label {
				return r
			}
		}
		t.Fatalf("no result %s/%s", set, label)
		return nil
	}
	avx2, gvisor := byLabel("1500 B", "amd64-avx2"), byLabel("1500 B", "gvisor")
	if avx2.median() != 20 || gvisor.median() != 80 {
		t.Errorf("medians %v, %v; want 20, 80", avx2.median(), gvisor.median())
	}
	if s := avx2.summary; s.Lo > 20 || s.Hi < 20 || s.Lo < 19 || s.Hi > 21 {
		t.Errorf("confidence interval [%v, %v] around 20", s.Lo, s.Hi)
	}
	if got := avx2.gbps(); got != 75 {
		t.Errorf("1500 B in 20 ns = %v GB/s, want 75", got)
	}
	if avx2.best != gvisor || avx2.ratio != 4 || avx2.same {
		t.Errorf("avx2 against gvisor: best %v, ratio %v, same %v; want gvisor, 4, false", avx2.best.fn.label, avx2.ratio, avx2.same)
	}
	if gvisor.best != gvisor || gvisor.ratio != 1 || !gvisor.same {
		t.Errorf("the best peer against itself: ratio %v, same %v", gvisor.ratio, gvisor.same)
	}
	kvec := byLabel("64 KiB", "Kvec")
	if kvec.ratio != 0.8 || kvec.nsPerSeg() != 1250.0/16 {
		t.Errorf("kvec: ratio %v, ns/segment %v", kvec.ratio, kvec.nsPerSeg())
	}
	if one := byLabel("1 KiB", "Kvec"); one.best == nil || one.best.fn.label != loopLabel || one.ratio != 0.5 {
		t.Errorf("1-byte kvec: best %v, ratio %v; want the loop, 0.5", one.best, one.ratio)
	}
}

func TestBestPeerIsFastest(t *testing.T) {
	s := &section{fns: []*fn{
		{set: "a", label: "x", size: 100},
		{set: "a", label: "slow peer", size: 100, peer: true},
		{set: "a", label: "fast peer", size: 100, peer: true},
		{set: "b", label: "alone", size: 100},
	}}
	ms := []measurement{
		{fn: s.fns[0], ns: []float64{10, 10, 10, 10, 10, 10}},
		{fn: s.fns[1], ns: []float64{50, 51, 49, 50, 52, 48}},
		{fn: s.fns[2], ns: []float64{20, 21, 19, 20, 22, 18}},
		{fn: s.fns[3], ns: []float64{30, 30, 30, 30, 30, 30}},
	}
	res := summarize(ms)
	compareToPeers([]*section{s}, res)
	if b := res[s.fns[0]].best; b == nil || b.fn.label != "fast peer" {
		t.Fatalf("best peer %v, want the fast one", b)
	}
	if r := res[s.fns[1]]; r.ratio != 0.4 || r.same {
		t.Errorf("slow peer against fast: ratio %v, same %v", r.ratio, r.same)
	}
	// A set without a peer has no comparison.
	if b := res[s.fns[3]].best; b != nil {
		t.Errorf("a set without peers compared with %v", b.fn.label)
	}
}

func TestSummarizeSkipsUnmeasured(t *testing.T) {
	f, g := &fn{label: "f"}, &fn{label: "g"}
	res := summarize([]measurement{{fn: f, ns: []float64{3}}, {fn: g}})
	if len(res) != 1 || res[f] == nil {
		t.Fatalf("summarize = %v, want f only", res)
	}
	// One sample: a median but no finite interval.
	if s := res[f].summary; s.Center != 3 || !math.IsInf(s.Hi, 1) && !math.IsInf(s.Lo, -1) {
		t.Errorf("one sample: %+v", s)
	}
}

func TestGoalValue(t *testing.T) {
	rep := fakeReport(false)
	s := rep.sections[1]
	for _, c := range []struct {
		f     *fn
		value float64
		met   bool
	}{
		{s.fns[1], 0.8, false}, // 1250 ns against copy's 1000: 0.8× of a 0.9× goal
		{s.fns[3], 2.0, true},  // 4096 ns against the loop's 2048: 2× the time, of at most 2.5×
	} {
		v, met, ok := goalValue(s, rep.results[c.f], rep.results, (*result).median)
		if !ok || v != c.value || met != c.met {
			t.Errorf("%s: goal value %v, met %v, ok %v; want %v, %v", c.f.sub, v, met, ok, c.value, c.met)
		}
	}
	// A goal whose reference was not measured.
	delete(rep.results, s.fns[0])
	if _, _, ok := goalValue(s, rep.results[s.fns[1]], rep.results, (*result).median); ok {
		t.Errorf("goal against an unmeasured reference reported as measured")
	}
}
