package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"time"
)

// config is what the command line asks for.
type config struct {
	sizes  []int         // buffer sizes of the csum benchmarks
	rounds int           // timed batches per function: the samples of each median
	batch  time.Duration // time of one batch; 0 spreads budget over every batch
	budget time.Duration // measuring time that batch = 0 fills
	quick  bool          // smoke-test mode: few sizes and rounds, short batches
	out    string        // folder for the report; "" makes a new one under out/
	raw    bool          // go test -bench lines on stdout, everything else on stderr
	floors bool          // assert the regression floors (floors.go); on with quick
	record string        // Markdown file to append the run's summary to; "" for none

	model    bool   // the static model of every kernel instead of measuring (model.go)
	modelCPU string // the model's CPU for this one: "" to match it by cpuid, "none" for no calibration
	impls    bool   // print the csum implementations compiled in and exit
}

// The defaults: sizes from an IPv4 header to well past the last-level cache,
// as in csum's own benchmarks, and a run of about two minutes.
var (
	defaultSizes  = []int{20, 40, 64, 256, 1500, 4 << 10, 16 << 10, 64 << 10, 1 << 20, 16 << 20}
	defaultRounds = 10
	defaultBudget = 100 * time.Second

	quickSizes  = []int{20, 1500, 4 << 10, 64 << 10} // with the sizes of the floors
	quickRounds = 6                                  // the fewest samples that give a median a 95% confidence interval
	quickBatch  = 3 * time.Millisecond
)

// maxBatch and maxRounds bound what the flags accept.
const (
	maxBatch  = 10 * time.Second
	maxRounds = 1000
)

// minFloorRounds is the fewest rounds with which a floor can fail: a
// U-test of 4 samples against 4 can find a difference (p = 0.029 at best),
// one of 3 against 3 cannot (0.1).
const minFloorRounds = 4

// newFlagSet returns the command's flags, writing into c.
func newFlagSet(c *config) *flag.FlagSet {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors and usage are printed by the caller
	fs.Var(sizeFlag{&c.sizes}, "sizes", "comma-separated buffer `sizes` of the checksum and copy benchmarks, with optional unit K, M or G")
	fs.IntVar(&c.rounds, "rounds", c.rounds, "timed batches of each function (`n` samples per median; 6 or more give a 95% confidence interval)")
	fs.DurationVar(&c.batch, "time", c.batch, "`duration` of one timed batch (0: fill -budget)")
	fs.DurationVar(&c.budget, "budget", c.budget, "measuring `time` that -time 0 spreads over every batch")
	fs.BoolVar(&c.quick, "quick", c.quick, "smoke test: sizes "+sizeFlag{&quickSizes}.String()+
		fmt.Sprintf(", %d rounds of %v batches and -floors (other flags still win)", quickRounds, quickBatch))
	fs.BoolVar(&c.floors, "floors", c.floors, "assert the regression floors of docs/performance.md and exit 1 if one fails (needs sizes 4K and 64K)")
	fs.StringVar(&c.out, "out", c.out, "`folder` for the report, created if missing (default: a new one under out/)")
	fs.StringVar(&c.record, "record", c.record, "append a summary of the run (machine, GB/s, ratios, goals, floors) to the Markdown `file`, which must exist (make bench-record: docs/performance.md)")
	fs.BoolVar(&c.raw, "raw", c.raw, "print go test -bench lines (for benchstat) on stdout and the rest on stderr")
	fs.BoolVar(&c.model, "model", c.model, "model every kernel's hot loop with llvm-mca on the CPUs of amd64 and arm64 instead of measuring; "+
		"takes -out and -model-cpu only")
	fs.StringVar(&c.modelCPU, "model-cpu", c.modelCPU, "with -model: the `cpu` of the model to compare this one's measurements with "+
		"(default: the closest by cpuid; none: no measurements)")
	fs.BoolVar(&c.impls, "impls", c.impls, "print the checksum implementations compiled in, one a line, and exit")
	return fs
}

// defaults returns the configuration of a run without flags.
func defaults() config {
	return config{sizes: defaultSizes, rounds: defaultRounds, budget: defaultBudget}
}

// parseFlags parses the command line (without the program name). It returns
// flag.ErrHelp for -h and -help.
func parseFlags(args []string) (config, error) {
	c := defaults()
	fs := newFlagSet(&c)
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if fs.NArg() > 0 {
		return config{}, fmt.Errorf("unexpected argument %q: bench takes flags only", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if err := checkModelFlags(c, set); err != nil {
		return config{}, err
	}
	if c.quick {
		if !set["sizes"] {
			c.sizes = quickSizes
		}
		if !set["rounds"] {
			c.rounds = quickRounds
		}
		if !set["time"] {
			c.batch = quickBatch
		}
		if !set["floors"] {
			c.floors = true
		}
	}
	return c, c.validate()
}

// checkModelFlags reports flags that -model does not take, and -model-cpu
// without -model or naming no CPU of the model's lists of this
// architecture. set holds the flags given.
func checkModelFlags(c config, set map[string]bool) error {
	if !c.model {
		if set["model-cpu"] {
			return errors.New("-model-cpu needs -model")
		}
		return nil
	}
	for name := range set {
		if name != "model" && name != "model-cpu" && name != "out" {
			return fmt.Errorf("-%s: -model takes -out and -model-cpu only", name)
		}
	}
	if c.modelCPU == "" || c.modelCPU == "none" {
		return nil
	}
	if a := archByName(runtime.GOARCH); a == nil || !slices.Contains(a.cpus, c.modelCPU) {
		return fmt.Errorf("-model-cpu %q: want none or a CPU of the %s model: %s", c.modelCPU, runtime.GOARCH, strings.Join(cpusOf(runtime.GOARCH), ", "))
	}
	return nil
}

// cpusOf returns the model's CPUs for goarch, or none.
func cpusOf(goarch string) []string {
	if a := archByName(goarch); a != nil {
		return a.cpus
	}
	return nil
}

// validate reports the first value out of range. (parseSizes has
// checked the sizes.)
func (c config) validate() error {
	switch {
	case c.rounds < 1 || c.rounds > maxRounds:
		return fmt.Errorf("-rounds %d: want 1 to %d", c.rounds, maxRounds)
	case c.batch < 0 || c.batch > maxBatch:
		return fmt.Errorf("-time %v: want 0 (fill -budget) up to %v", c.batch, maxBatch)
	case c.budget <= 0:
		return fmt.Errorf("-budget %v: want a positive duration", c.budget)
	case c.floors && c.rounds < minFloorRounds:
		return fmt.Errorf("-floors with -rounds %d: want %d rounds or more, or no floor could fail", c.rounds, minFloorRounds)
	}
	return nil
}

// usage writes the command's help to w.
func usage(w io.Writer) {
	fmt.Fprint(w, `usage: bench [flags]

bench measures iovkit's checksum and iterator against their peers, interleaved,
and writes a table, a Markdown report, charts and go test -bench lines into a
new folder. With no flags it runs for about two minutes.

flags:
`)
	c := defaults()
	fs := newFlagSet(&c)
	fs.SetOutput(w)
	fs.PrintDefaults()
}
