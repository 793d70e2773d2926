package main

import (
	"errors"
	"fmt"
	"os"
	"strings"
)

// recordSection returns the summary of rep that -record appends to the
// measured CPUs of docs/performance.md: the machine, each sized section as
// a matrix of GB/s and speed over the fastest peer, every goal and every
// floor (checks; nil if the run had none).
func recordSection(rep *report, checks []floorCheck) string {
	m := rep.machine
	var b strings.Builder
	fmt.Fprintf(&b, "\n### %s, %s\n\n", m.cpu, rep.when.UTC().Format("2006-01-02"))
	fmt.Fprintf(&b, "Recorded by `bench -record` on %s: %s.\n\n", rep.when.UTC().Format("2006-01-02 15:04 MST"), rep.status())
	for _, f := range m.facts() {
		fmt.Fprintf(&b, "- %s: %s\n", f[0], escape(f[1]))
	}
	for _, s := range rep.sections {
		if s.chart != "" {
			fmt.Fprintf(&b, "\n%s: GB/s, and in brackets speed over the column's fastest peer (~: not significant).\n\n", s.title)
			writeMarkdownTable(&b, sizeMatrix(s, rep.results))
		}
	}
	b.WriteString("\nGoals:\n\n")
	writeMarkdownTable(&b, goalTable(rep))
	if checks != nil {
		b.WriteString("\nRegression floors:\n\n")
		t, _ := rep.floorTable(checks)
		writeMarkdownTable(&b, t)
	}
	return b.String()
}

// sizeMatrix returns the results of section s as a table with a row per
// function and a column per comparison set (a size).
func sizeMatrix(s *section, res map[*fn]*result) table {
	sets := s.sets()
	t := table{header: append([]string{""}, sets...), right: []bool{false}}
	var labels []string
	cells := map[string][]string{}
	for j, set := range sets {
		t.right = append(t.right, true)
		for _, r := range setResults(s, set, res) {
			l := r.fn.label
			if cells[l] == nil {
				labels = append(labels, l)
				cells[l] = make([]string, len(sets))
			}
			c := num(r.gbps())
			switch {
			case r.best == nil || r.best == r:
			case r.same:
				c += fmt.Sprintf(" (%.2f× ~)", r.ratio)
			default:
				c += fmt.Sprintf(" (%.2f×)", r.ratio)
			}
			cells[l][j] = c
		}
	}
	for _, l := range labels {
		t.rows, t.starts = append(t.rows, append([]string{l}, cells[l]...)), append(t.starts, false)
	}
	return t
}

// goalTable returns every measured function with a goal, its throughput,
// where its median stands against the goal, and the same ratio from the
// fastest batches, which a loaded machine disturbs less (the floors'
// measure): when the two differ much, the run was noisy.
func goalTable(rep *report) table {
	t := table{header: []string{"section", "workload", "function", "GB/s", "goal: median", "fastest batches"},
		right: []bool{false, false, false, true, false, true}}
	for _, s := range rep.sections {
		for _, set := range s.sets() {
			for _, r := range setResults(s, set, rep.results) {
				if r.fn.goal == nil {
					continue
				}
				fastest := "—"
				if v, _, ok := goalValue(s, r, rep.results, (*result).fastest); ok {
					fastest = fmt.Sprintf("%.2f×", v)
				}
				t.rows = append(t.rows, []string{s.title, set, r.fn.label, num(r.gbps()), goalCell(s, r, rep.results, false), fastest})
				t.starts = append(t.starts, false)
			}
		}
	}
	return t
}

// appendRecord appends the summary of rep to the Markdown file at path,
// which must exist (a mistyped path then creates nothing). It refuses an
// emulated or interrupted run: neither measures the CPU as a whole run
// does.
func appendRecord(path string, rep *report, checks []floorCheck) error {
	switch {
	case rep.machine.emu.emulated:
		return errors.New("-record: an emulated run measures the emulator, not the CPU: nothing recorded")
	case rep.interrupted:
		return errors.New("-record: an interrupted run is incomplete: nothing recorded")
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return fmt.Errorf("-record: %w", err)
	}
	_, err = f.WriteString(recordSection(rep, checks))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
