package main

import (
	"context"
	"io"
	"testing"
	"time"
)

func TestClampIters(t *testing.T) {
	for x, want := range map[float64]int{-5: 1, 0: 1, 0.4: 1, 1: 1, 2.7: 2, 1e12: maxIters} {
		if got := clampIters(x); got != want {
			t.Errorf("clampIters(%v) = %d, want %d", x, got, want)
		}
	}
}

func TestSpreadBudget(t *testing.T) {
	// 50 functions, 9 rounds plus about one of calibration: 500 batches.
	if got := spreadBudget(100*time.Second, 50, 9); got != 200*time.Millisecond {
		t.Errorf("spreadBudget = %v, want 200ms", got)
	}
}

// TestCalibrate checks that calibration scales a batch to the time asked,
// with a function of known cost (a sleep: coarse, hence the wide bounds).
func TestCalibrate(t *testing.T) {
	run := func(n int) { time.Sleep(time.Duration(n) * 500 * time.Microsecond) }
	n := calibrate(run, 50*time.Millisecond)
	if n < 10 || n > 110 {
		t.Errorf("calibrate = %d calls of 0.5 ms for 50 ms, want about 100", n)
	}
	if n := calibrate(func(int) {}, time.Millisecond); n != maxIters {
		t.Errorf("calibrate of a free function = %d, want the cap %d", n, maxIters)
	}
}

// countingFns returns n functions that count their calls.
func countingFns(n int, calls []int) []*fn {
	fns := make([]*fn, n)
	for i := range fns {
		fns[i] = &fn{bench: "F", sub: string(rune('a' + i)), run: func(k int) {
			calls[i] += k
			time.Sleep(10 * time.Microsecond)
		}}
	}
	return fns
}

func TestMeasure(t *testing.T) {
	calls := make([]int, 3)
	fns := countingFns(3, calls)
	ms, done := measure(context.Background(), fns, 4, time.Millisecond, newProgress(io.Discard, false, ""))
	if done != 4 || len(ms) != 3 {
		t.Fatalf("measure = %d measurements, %d rounds; want 3, 4", len(ms), done)
	}
	for i, m := range ms {
		if m.fn != fns[i] || len(m.ns) != 4 || m.iters < 1 {
			t.Errorf("measurement %d: fn %v, %d samples of %d calls", i, m.fn.sub, len(m.ns), m.iters)
		}
		for _, ns := range m.ns {
			if ns < 10e3/float64(m.iters) {
				t.Errorf("measurement %d: %v ns a call, less than the sleep", i, ns)
			}
		}
	}
}

// TestMeasureInterrupted checks that a cancelled run stops between
// batches and returns what it measured.
func TestMeasureInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	fns := countingFns(4, make([]int, 4))
	const stopAfter = 4*2 + 3 // two whole rounds and three batches of the third
	p := newProgress(io.Discard, false, "")
	batches := 0
	for _, f := range fns {
		run := f.run
		f.run = func(k int) {
			run(k)
			// The progress report's start marks the end of calibration.
			if !p.start.IsZero() {
				if batches++; batches == stopAfter {
					cancel()
				}
			}
		}
	}
	ms, done := measure(ctx, fns, 10, time.Millisecond, p)
	if done != 2 {
		t.Errorf("interrupted in round 3: %d rounds done, want 2", done)
	}
	total := 0
	for _, m := range ms {
		if len(m.ns) < 2 || len(m.ns) > 3 {
			t.Errorf("%s: %d samples, want 2 or 3", m.fn.sub, len(m.ns))
		}
		total += len(m.ns)
	}
	if total != stopAfter {
		t.Errorf("%d batches measured, want %d", total, stopAfter)
	}
}

func TestMeasureInterruptedBeforeStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ms, done := measure(ctx, countingFns(2, make([]int, 2)), 3, time.Millisecond, newProgress(io.Discard, false, ""))
	if len(ms) != 0 || done != 0 {
		t.Errorf("measure after cancel = %d measurements, %d rounds", len(ms), done)
	}
}
