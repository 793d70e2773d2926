package main

import (
	"bytes"
	"errors"
	"flag"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseFlagsDefaults(t *testing.T) {
	c, err := parseFlags(nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.sizes, defaultSizes) || c.rounds != defaultRounds || c.batch != 0 ||
		c.budget != defaultBudget || c.quick || c.out != "" || c.raw || c.floors {
		t.Errorf("parseFlags(nil) = %+v, want the defaults", c)
	}
}

func TestParseFlags(t *testing.T) {
	c, err := parseFlags([]string{"-sizes", "64K,20", "-rounds", "7", "-time", "20ms", "-budget", "1m", "-out", "x", "-raw"})
	if err != nil {
		t.Fatal(err)
	}
	want := config{sizes: []int{20, 65536}, rounds: 7, batch: 20 * time.Millisecond, budget: time.Minute, out: "x", raw: true}
	if !slices.Equal(c.sizes, want.sizes) || c.rounds != want.rounds || c.batch != want.batch ||
		c.budget != want.budget || c.out != want.out || c.raw != want.raw {
		t.Errorf("got %+v, want %+v", c, want)
	}
}

func TestParseFlagsQuick(t *testing.T) {
	c, err := parseFlags([]string{"-quick"})
	if err != nil {
		t.Fatal(err)
	}
	if !c.quick || !slices.Equal(c.sizes, quickSizes) || c.rounds != quickRounds || c.batch != quickBatch || !c.floors {
		t.Errorf("-quick: got %+v", c)
	}
	if c, err := parseFlags([]string{"-quick", "-floors=false"}); err != nil || c.floors {
		t.Errorf("-quick -floors=false: floors %v, err %v", c.floors, err)
	}
	// Flags given explicitly win over the quick defaults, in either order.
	for _, args := range [][]string{
		{"-quick", "-sizes", "1500", "-rounds", "8", "-time", "0"},
		{"-sizes", "1500", "-rounds", "8", "-time", "0", "-quick"},
	} {
		c, err := parseFlags(args)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(c.sizes, []int{1500}) || c.rounds != 8 || c.batch != 0 {
			t.Errorf("%q: got %+v", args, c)
		}
	}
}

func TestParseFlagsErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string // in the error
	}{
		{[]string{"-rounds", "0"}, "-rounds 0"},
		{[]string{"-rounds", "1001"}, "-rounds 1001"},
		{[]string{"-rounds", "x"}, "-rounds"},
		{[]string{"-time", "-1ms"}, "-time -1ms"},
		{[]string{"-time", "11s"}, "-time 11s"},
		{[]string{"-time", "5"}, "-time"},
		{[]string{"-budget", "0"}, "-budget 0s"},
		{[]string{"-sizes", ""}, "bad size"},
		{[]string{"-sizes", "20,0"}, `bad size "0"`},
		{[]string{"-sizes", "2G"}, `bad size "2G"`},
		{[]string{"-nosuch"}, "-nosuch"},
		{[]string{"-quick", "extra"}, `unexpected argument "extra"`},
		{[]string{"-quick", "-rounds", "3"}, "-floors with -rounds 3"},
	} {
		_, err := parseFlags(c.args)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("parseFlags(%q) = %v, want an error containing %q", c.args, err, c.want)
		}
	}
	if _, err := parseFlags([]string{"-h"}); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-h: %v, want flag.ErrHelp", err)
	}
}

// TestRunBadFlags checks that the command fails fast and clearly: exit
// status 2, the problem and a pointer to -h on stderr, nothing on stdout.
func TestRunBadFlags(t *testing.T) {
	var out, errs bytes.Buffer
	if st := run([]string{"-sizes", "20,12X"}, &out, &errs); st != exitUsage {
		t.Errorf("exit status %d, want %d", st, exitUsage)
	}
	if out.Len() != 0 || !strings.Contains(errs.String(), `bad size "12X"`) || !strings.Contains(errs.String(), "bench -h") {
		t.Errorf("stdout %q, stderr %q", out.String(), errs.String())
	}
}

func TestRunHelp(t *testing.T) {
	var out, errs bytes.Buffer
	if st := run([]string{"-help"}, &out, &errs); st != 0 {
		t.Errorf("exit status %d, want 0", st)
	}
	for _, name := range []string{"-sizes", "-rounds", "-time", "-budget", "-quick", "-out", "-raw", "-floors"} {
		if !strings.Contains(out.String(), name) {
			t.Errorf("usage lacks %s:\n%s", name, out.String())
		}
	}
}
