package main

import (
	"context"
	"runtime"
	"time"
)

// A measurement is the samples of one function: the time per call of each
// of its timed batches.
type measurement struct {
	fn    *fn
	iters int       // calls per batch, fixed by calibrate
	ns    []float64 // nanoseconds per call, one per batch
}

// maxIters bounds the calls of one batch.
const maxIters = 1 << 30

// timeBatch calls f n times and returns how long that took.
func timeBatch(run func(int), n int) time.Duration {
	start := time.Now()
	run(n)
	return time.Since(start)
}

// calibrate returns how many calls of run take about d: it times batches
// that grow (at most a hundredfold each time) until one takes a tenth of
// d, then scales that batch to d. The batches also warm caches and
// branch predictors up.
func calibrate(run func(int), d time.Duration) int {
	for n := 1; ; {
		el := max(timeBatch(run, n), 1)
		if el >= d/10 || n >= maxIters {
			return clampIters(float64(n) * float64(d) / float64(el))
		}
		n = clampIters(min(float64(n)*float64(d/10)/float64(el)*1.2, float64(n)*100))
	}
}

// clampIters rounds x to a call count from 1 to maxIters.
func clampIters(x float64) int {
	return int(max(1, min(x, maxIters)))
}

// spreadBudget returns the batch time that makes a run of fns functions
// over the given rounds (plus calibration, about a batch) take budget.
func spreadBudget(budget time.Duration, fns, rounds int) time.Duration {
	return budget / time.Duration(fns*(rounds+1))
}

// measure calibrates every function, then runs the rounds of the schedule,
// one timed batch per function a round, reporting progress to p. It stops
// early when ctx is done and returns what it measured and how many rounds
// it completed; a function may then have one sample more than others.
func measure(ctx context.Context, fns []*fn, rounds int, batch time.Duration, p *progress) ([]measurement, int) {
	defer p.done()
	ms := make([]measurement, len(fns))
	for i, f := range fns {
		if ctx.Err() != nil {
			return nil, 0
		}
		p.calibrating(i, len(fns), f)
		ms[i] = measurement{fn: f, iters: calibrate(f.run, batch)}
	}
	runtime.GC() // start clean: the workloads themselves do not allocate
	for r, order := range schedule(len(fns), rounds, scheduleSeed) {
		for j, i := range order {
			if ctx.Err() != nil {
				return ms, r
			}
			p.measuring(r, j, rounds, len(fns), fns[i])
			m := &ms[i]
			el := timeBatch(m.fn.run, m.iters)
			m.ns = append(m.ns, float64(el.Nanoseconds())/float64(m.iters))
		}
	}
	return ms, rounds
}
