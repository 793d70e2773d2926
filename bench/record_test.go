package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/perf/benchmath"
)

func TestAppendRecord(t *testing.T) {
	path := filepath.Join(t.TempDir(), "performance.md")
	const head = "# Performance\n\nintro\n"
	if err := os.WriteFile(path, []byte(head), 0o644); err != nil {
		t.Fatal(err)
	}
	rep := fakeReport(false)
	rep.machine.ident = "TestVendor, family 1, model 2, stepping 3"
	// One undisturbed batch of the 64 KiB Kvec copy, as fast as copy()'s
	// fastest (980 ns): the fastest batches say 0.98× where the medians
	// (1250 against 1000 ns) say 0.80×.
	kvec := rep.results[rep.sections[1].fns[1]]
	kvec.sample = benchmath.NewSample(append(slices.Clone(kvec.sample.Values), 1000), &benchmath.DefaultThresholds)
	if err := appendRecord(path, rep, nil); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	if !strings.HasPrefix(got, head) {
		t.Errorf("the file's text before the record changed:\n%s", got)
	}
	for _, want := range []string{
		"\n### Test CPU, 2026-01-02\n",
		"- CPUID: TestVendor, family 1, model 2, stepping 3\n",
		"|  | 20 B | 1500 B |\n|---|---:|---:|\n",
		"| amd64-avx2 | 10.0 (2.00×) | 75.0 (4.00×) |\n",
		"| gvisor | 5.00 | 18.8 |\n",
		"| section | workload | function | GB/s | goal: median | fastest batches |\n",
		"| iter.CopyTo | 64 KiB | Kvec | 52.4 | ≥ 0.9× copy() contiguous: 0.80×, MISSED | 0.98× |\n",
		"| iter.CopyTo | 1 KiB | Kvec | 0.25 | ≤ 2.5× the time of copy() a segment: 2.00×, met | 2.00× |\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the record lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "Regression floors") {
		t.Errorf("a run without floor checks records floors:\n%s", got)
	}

	missing := filepath.Join(t.TempDir(), "nosuch.md")
	if err := appendRecord(missing, rep, nil); err == nil {
		t.Errorf("appendRecord to a missing file: no error")
	}
	if _, err := os.Stat(missing); err == nil {
		t.Errorf("appendRecord created %s", missing)
	}
	for _, bad := range []*report{fakeReport(true), {interrupted: true}} {
		if err := appendRecord(path, bad, nil); err == nil {
			t.Errorf("appendRecord of an emulated or interrupted run: no error")
		}
	}
}

// TestRecordFloors checks that a record with floor checks lists them.
func TestRecordFloors(t *testing.T) {
	c := floorCheck{
		floor:  floor{what: "thing", size: 4096, ratio: 0.5, goal: "≥ 0.9× ref"},
		heldFn: &fn{label: "thing", size: 4096},
		refFn:  &fn{label: "ref", size: 4096},
	}
	got := recordSection(floorReport(c, around(300), false), []floorCheck{c})
	if want := "| thing | 4 KiB | ≥ 0.5× ref | 0.33× | ≥ 0.9× ref | FAILED |"; !strings.Contains(got, want) {
		t.Errorf("the record lacks %q:\n%s", want, got)
	}
}
