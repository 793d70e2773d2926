package main

import (
	"fmt"
	"io"
	"time"
)

// progress tells how far a run is, on stderr: on a terminal one line
// rewritten in place, elsewhere (a log, CI) one line per round.
type progress struct {
	w      io.Writer
	tty    bool
	prefix string // starts every line: the emulation mark, if any
	start  time.Time
	shown  time.Time // when the terminal line was last rewritten
	round  int       // the round last announced, for the line-per-round mode
}

// redraw is how often the terminal line may change.
const redraw = 100 * time.Millisecond

// newProgress reports to w, rewriting one line in place if tty.
func newProgress(w io.Writer, tty bool, prefix string) *progress {
	return &progress{w: w, tty: tty, prefix: prefix, round: -1}
}

// calibrating reports that function i of n is being calibrated.
func (p *progress) calibrating(i, n int, f *fn) {
	if !p.tty {
		if i == 0 {
			fmt.Fprintf(p.w, "%scalibrating %d functions\n", p.prefix, n)
		}
		return
	}
	p.show(fmt.Sprintf("calibrating %d/%d: %s", i+1, n, f.name()))
}

// measuring reports that batch j of round r is about to run f.
func (p *progress) measuring(r, j, rounds, n int, f *fn) {
	now := time.Now()
	if r == 0 && j == 0 {
		p.start = now
	}
	done, total := r*n+j, rounds*n
	left := "" // unknown before the first batch
	if done > 0 {
		d := time.Duration(float64(now.Sub(p.start)) / float64(done) * float64(total-done))
		left = fmt.Sprintf(", about %v left", d.Round(time.Second))
	}
	if !p.tty {
		if r != p.round {
			p.round = r
			fmt.Fprintf(p.w, "%sround %d/%d%s\n", p.prefix, r+1, rounds, left)
		}
		return
	}
	p.show(fmt.Sprintf("round %d/%d %3.0f%%%s: %s", r+1, rounds, 100*float64(done)/float64(total), left, f.name()))
}

// show rewrites the terminal line, at most every redraw.
func (p *progress) show(line string) {
	if now := time.Now(); now.Sub(p.shown) >= redraw {
		p.shown = now
		fmt.Fprintf(p.w, "\r\033[K%s%s", p.prefix, line)
	}
}

// done ends the progress report.
func (p *progress) done() {
	if p.tty {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
