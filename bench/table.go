package main

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// A table is one section of the report as rows of text cells, shared by
// the terminal and the Markdown output.
type table struct {
	header []string
	right  []bool // right-aligned (numeric) columns
	rows   [][]string
	starts []bool // whether a row starts a new comparison set
}

// legend explains the columns of every table.
const legend = "ns/op and GB/s are medians; ± is the 95% confidence interval of the median; " +
	"N× name is the best peer's median time over this function's (above 1 is faster), " +
	"~ when a U-test finds no significant difference (p > 0.05)."

// table returns section s as a table. Columns for time per segment, goals
// and the emulation mark appear only where they apply.
func (rep *report) table(s *section) table {
	segs, goals := false, false
	for _, f := range s.fns {
		segs, goals = segs || f.segs > 0, goals || f.goal != nil
	}
	mark := rep.machine.mark()
	t := table{header: []string{"", "function", "ns/op", "±", "GB/s", "vs best peer"}, right: []bool{false, false, true, true, true, false}}
	add := func(name string, right, on bool) {
		if on {
			t.header, t.right = append(t.header, name), append(t.right, right)
		}
	}
	add("ns/segment", true, segs)
	add("goal (docs/performance.md): median", false, goals)
	add(mark, false, mark != "")
	for _, set := range s.sets() {
		for i, r := range setResults(s, set, rep.results) {
			row := []string{"", r.fn.label, num(r.median()), r.summary.PctRangeString(), num(r.gbps()), vsPeer(r)}
			if i == 0 {
				row[0] = set
			}
			if segs {
				row = append(row, "")
				if r.fn.segs > 0 {
					row[len(row)-1] = num(r.nsPerSeg())
				}
			}
			if goals {
				row = append(row, goalCell(s, r, rep.results, mark != ""))
			}
			if mark != "" {
				row = append(row, mark)
			}
			t.rows, t.starts = append(t.rows, row), append(t.starts, i == 0)
		}
	}
	return t
}

// notJudged replaces a verdict in an emulated run.
const notJudged = "not judged under emulation (see make bench-model)"

// num formats a positive measurement with three or more significant digits.
func num(v float64) string {
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	case v >= 1:
		return fmt.Sprintf("%.2f", v)
	}
	return fmt.Sprintf("%.3g", v)
}

// vsPeer describes r against the best peer of its set.
func vsPeer(r *result) string {
	switch {
	case r.best == nil:
		return ""
	case r.best == r:
		return "best peer"
	case r.same:
		return fmt.Sprintf("%.2f× %s ~", r.ratio, r.best.fn.label)
	}
	return fmt.Sprintf("%.2f× %s", r.ratio, r.best.fn.label)
}

// goalCell states r's goal, if it has one, and where its median stands.
// An emulated run judges no goal: its timings are the emulator's.
func goalCell(s *section, r *result, res map[*fn]*result, emulated bool) string {
	if r.fn.goal == nil {
		return ""
	}
	v, met, ok := goalValue(s, r, res, (*result).median)
	switch {
	case emulated:
		return r.fn.goal.String() + ": " + notJudged
	case !ok:
		return r.fn.goal.String() + ": not measured"
	case met:
		return fmt.Sprintf("%v: %.2f×, met", r.fn.goal, v)
	}
	return fmt.Sprintf("%v: %.2f×, MISSED", r.fn.goal, v)
}

// lines returns the table as aligned text, a blank line between sets.
func (t table) lines() []string {
	width := make([]int, len(t.header))
	for _, row := range append([][]string{t.header}, t.rows...) {
		for i, c := range row {
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	format := func(row []string) string {
		cells := make([]string, len(row))
		for i, c := range row {
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			if t.right[i] {
				cells[i] = pad + c
			} else {
				cells[i] = c + pad
			}
		}
		return strings.TrimRight(strings.Join(cells, "  "), " ")
	}
	out := []string{format(t.header)}
	for i, row := range t.rows {
		if t.starts[i] && i > 0 {
			out = append(out, "")
		}
		out = append(out, format(row))
	}
	return out
}

// writeTables prints every section's table for the terminal.
func writeTables(w io.Writer, rep *report) {
	prefix := rep.machine.linePrefix()
	for _, s := range rep.sections {
		fmt.Fprintf(w, "\n%s== %s: %s\n", prefix, s.title, s.about)
		for _, l := range rep.table(s).lines() {
			fmt.Fprintln(w, l)
		}
	}
	fmt.Fprintf(w, "\n%s%s\n%s%s\n", prefix, legend, prefix, rep.status())
}
