package main

import (
	"slices"

	"golang.org/x/perf/benchmath"
)

// confidence is the level of every confidence interval in the report.
const confidence = 0.95

// A result is the statistics of one measured function.
type result struct {
	fn      *fn
	sample  *benchmath.Sample // nanoseconds per call, one value per batch
	summary benchmath.Summary // the median and its confidence interval

	// Against the fastest peer of the set (nil if none was measured):
	best  *result
	ratio float64 // how many times faster than best (median over median)
	same  bool    // whether a U-test finds no significant difference from best
}

// summarize returns the statistics of each function that has samples. It
// assumes nothing about their distribution: the summary is the median with
// a distribution-free confidence interval (benchmath.AssumeNothing, as
// benchstat's default), and comparisons are Mann-Whitney U-tests.
func summarize(ms []measurement) map[*fn]*result {
	res := map[*fn]*result{}
	for _, m := range ms {
		if len(m.ns) == 0 {
			continue
		}
		s := benchmath.NewSample(slices.Clone(m.ns), &benchmath.DefaultThresholds)
		res[m.fn] = &result{fn: m.fn, sample: s, summary: benchmath.AssumeNothing.Summary(s, confidence)}
	}
	return res
}

// median is the median time per call, in nanoseconds.
func (r *result) median() float64 { return r.summary.Center }

// gbps is the median throughput in GB/s (bytes per nanosecond).
func (r *result) gbps() float64 { return float64(r.fn.size) / r.median() }

// nsPerSeg is the median time per segment, for segmented workloads.
func (r *result) nsPerSeg() float64 { return r.median() / float64(r.fn.segs) }

// speedup returns how many times faster r is than ref, from their medians.
func (r *result) speedup(ref *result) float64 { return ref.median() / r.median() }

// fastest is the time per call of r's fastest batch. Other load on the
// machine only ever adds time, so of several batches one has usually run
// undisturbed, where the median of few batches can be a disturbed one.
func (r *result) fastest() float64 { return slices.Min(r.sample.Values) }

// compareToPeers sets every result's best peer: the peer of its set with
// the lowest median.
func compareToPeers(secs []*section, res map[*fn]*result) {
	for _, s := range secs {
		for _, set := range s.sets() {
			members := setResults(s, set, res)
			var best *result
			for _, r := range members {
				if r.fn.peer && (best == nil || r.median() < best.median()) {
					best = r
				}
			}
			if best == nil {
				continue
			}
			for _, r := range members {
				c := benchmath.AssumeNothing.Compare(r.sample, best.sample)
				r.best, r.ratio, r.same = best, r.speedup(best), c.P > c.Alpha
			}
		}
	}
}

// setResults returns the results of the functions of set in s.
func setResults(s *section, set string, res map[*fn]*result) []*result {
	var out []*result
	for _, f := range s.fns {
		if r := res[f]; r != nil && f.set == set {
			out = append(out, r)
		}
	}
	return out
}

// goalValue measures r against its goal: its speed over that of the
// function the goal names or, for a goal of time, its time over that
// function's, each function's time being at's (its median, which judges
// the goal, or its fastest batch). ok is false when the goal's reference
// was not measured.
func goalValue(s *section, r *result, res map[*fn]*result, at func(*result) float64) (value float64, met, ok bool) {
	g := r.fn.goal
	for _, o := range setResults(s, r.fn.set, res) {
		if o.fn.label != g.ref {
			continue
		}
		if g.maxTime > 0 {
			v := at(r) / at(o)
			return v, v <= g.maxTime, true
		}
		v := at(o) / at(r)
		return v, v >= g.ratio, true
	}
	return 0, false, false
}
