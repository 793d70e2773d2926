// Command bench is iovkit's benchmark report, the project's main command
// (make bench). It describes the machine, then measures every csum
// implementation this CPU runs against its peers (gVisor's checksum, Go's
// copy(), C's memcpy) at a list of sizes, and the iterator workloads of
// the performance goals (docs/performance.md), all interleaved in one run.
// It prints a table of medians and writes a Markdown report, throughput
// charts and go test -bench lines into a new folder, which it names at the
// end. With -floors (and -quick) it also asserts the regression floors and
// exits 1 if one fails.
//
// With -model (make bench-model) it measures nothing but builds the
// library for amd64 and arm64, finds every kernel's hot loop in the
// disassembly and prints llvm-mca's bytes per cycle for each on the CPUs
// of both architectures, beside the same kernels measured on this CPU.
//
// Run it with -h for the flags; with none it takes about two minutes.
// Ctrl-C stops the measuring early and still reports what was measured; a
// second Ctrl-C ends it at once.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/iovkit/iovkit/csum"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// Exit statuses besides 0.
const (
	exitFail        = 1
	exitUsage       = 2
	exitInterrupted = 130 // as a shell reports a process ended by SIGINT
)

// run is the command. Human-readable output goes to stdout, or with -raw to
// stderr while stdout gets the go test -bench lines; progress goes to
// stderr.
func run(args []string, stdout, stderr io.Writer) int {
	cfg, err := parseFlags(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		usage(stdout)
		return 0
	case err != nil:
		fmt.Fprintf(stderr, "bench: %v\nrun 'bench -h' for the flags\n", err)
		return exitUsage
	}
	switch {
	case cfg.impls:
		for _, im := range csum.Implementations() {
			fmt.Fprintln(stdout, im.Name)
		}
		return 0
	case cfg.model:
		return runModel(cfg, stdout, stderr)
	}
	human := stdout
	if cfg.raw {
		human = stderr
	}
	m := describeMachine()
	writeFacts(human, m)
	secs, err := buildSections(m.impls, cfg.sizes)
	if err != nil {
		fmt.Fprintf(stderr, "bench: %v\n", err)
		return exitFail
	}
	fns := allFns(secs)
	checks, err := findFloors(floors, fns) // nil, and an error, if the sizes lack a floor's
	if cfg.floors && err != nil {
		fmt.Fprintf(stderr, "bench: %v\n", err)
		return exitUsage
	}
	batch := cfg.batch
	if batch == 0 {
		batch = spreadBudget(cfg.budget, len(fns), cfg.rounds)
	}
	mark := m.linePrefix()
	fmt.Fprintf(human, "%s%-17s %d functions × %d rounds of %v batches, about %v (Ctrl-C stops early and reports)\n",
		mark, "plan:", len(fns), cfg.rounds, shortDuration(batch),
		(batch * time.Duration(len(fns)*(cfg.rounds+1))).Round(time.Second))

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	context.AfterFunc(ctx, stop) // after the first signal, a second one ends the process
	start := time.Now()
	ms, done := measure(ctx, fns, cfg.rounds, batch, newProgress(stderr, isTerminal(stderr), mark))
	interrupted := ctx.Err() != nil
	if interrupted {
		fmt.Fprintf(stderr, "%sinterrupted: reporting the %d complete rounds and the batches since\n", mark, done)
	}
	rep := newReport(m, secs, ms, cfg.rounds, done, batch, start, interrupted)
	if len(rep.results) == 0 {
		fmt.Fprintln(stderr, "bench: interrupted before any timed batch: nothing to report")
		return exitInterrupted
	}
	rep.model = modelMention(defaultOutRoot)
	writeTables(human, rep)
	if rep.model != "" {
		fmt.Fprintf(human, "%s%s\n", mark, rep.model)
	}
	floorsHeld := checks == nil || checkFloors(human, rep, checks)
	dir, err := writeOutputs(rep, cfg.out)
	if err == nil && cfg.raw {
		err = writeRaw(stdout, rep)
	}
	if err == nil && cfg.record != "" {
		err = appendRecord(cfg.record, rep, checks)
	}
	if err != nil {
		fmt.Fprintf(stderr, "bench: %v\n", err)
		return exitFail
	}
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	fmt.Fprintf(human, "%sreport, charts and raw go test -bench lines in %s/\n", mark, dir)
	if cfg.record != "" {
		fmt.Fprintf(human, "%ssummary appended to %s\n", mark, cfg.record)
	}
	switch {
	case interrupted:
		return exitInterrupted
	case cfg.floors && !floorsHeld:
		fmt.Fprintln(stderr, "bench: a regression floor FAILED (see the floors above): a cliff, or a machine too loaded to measure")
		return exitFail
	}
	return 0
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
