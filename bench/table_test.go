package main

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

func TestTable(t *testing.T) {
	rep := fakeReport(false)
	tb := rep.table(rep.sections[0])
	if want := []string{"", "function", "ns/op", "±", "GB/s", "vs best peer"}; !slices.Equal(tb.header, want) {
		t.Errorf("csum header %q, want %q (no segment, goal or emulation columns)", tb.header, want)
	}
	want := [][]string{
		{"20 B", "amd64-avx2", "2.00", "2%", "10.0", "2.00× gvisor"},
		{"", "gvisor", "4.00", "2%", "5.00", "best peer"},
		{"1500 B", "amd64-avx2", "20.0", "2%", "75.0", "4.00× gvisor"},
		{"", "gvisor", "80.0", "2%", "18.8", "best peer"},
	}
	for i, row := range tb.rows {
		if !slices.Equal(row, want[i]) {
			t.Errorf("row %d = %q, want %q", i, row, want[i])
		}
	}
	if !slices.Equal(tb.starts, []bool{true, false, true, false}) {
		t.Errorf("set starts %v", tb.starts)
	}

	it := rep.table(rep.sections[1])
	if got := it.header[len(it.header)-2:]; !slices.Equal(got, []string{"ns/segment", "goal (docs/performance.md): median"}) {
		t.Errorf("iterator header ends %q", got)
	}
	for i, want := range []string{"", "≥ 0.9× copy() contiguous: 0.80×, MISSED", "", "≤ 2.5× the time of copy() a segment: 2.00×, met"} {
		if got := it.rows[i][len(it.rows[i])-1]; got != want {
			t.Errorf("goal cell %d = %q, want %q", i, got, want)
		}
	}
	if got := it.rows[1][6]; got != "78.1" {
		t.Errorf("ns/segment of 1250 ns over 16 = %q", got)
	}
}

// TestEmulatedMarks checks that an emulated run says so on every line of
// its tables.
func TestEmulatedMarks(t *testing.T) {
	rep := fakeReport(true)
	var b bytes.Buffer
	writeTables(&b, rep)
	for l := range strings.SplitSeq(strings.TrimSpace(b.String()), "\n") {
		if l != "" && !strings.Contains(l, "EMULATED") {
			t.Errorf("line without the emulation mark: %q", l)
		}
	}
	var md bytes.Buffer
	if err := writeMarkdown(&md, rep); err != nil {
		t.Fatal(err)
	}
	for l := range strings.SplitSeq(md.String(), "\n") {
		if strings.HasPrefix(l, "| ") && !strings.HasPrefix(l, "| |") && strings.Count(l, "|") > 7 && !strings.Contains(l, "EMULATED") {
			t.Errorf("Markdown table row without the emulation mark: %q", l)
		}
	}
	if !strings.Contains(md.String(), "> **EMULATED**") || !strings.Contains(md.String(), "make bench-model") {
		t.Errorf("the Markdown report has no emulation banner pointing at the model")
	}
	// Goals are stated, not judged.
	for _, want := range []string{"≥ 0.9× copy() contiguous: " + notJudged, "≤ 2.5× the time of copy() a segment: " + notJudged} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the emulated table lacks %q:\n%s", want, b.String())
		}
	}
	if s := b.String() + md.String(); strings.Contains(s, "MISSED") || strings.Contains(s, ", met") {
		t.Errorf("an emulated report judges a goal:\n%s", s)
	}
}

func TestLinesAlign(t *testing.T) {
	tb := table{
		header: []string{"a", "num"},
		right:  []bool{false, true},
		rows:   [][]string{{"x", "1"}, {"long", "1000"}, {"y", "2"}},
		starts: []bool{true, false, true},
	}
	want := []string{"a      num", "x        1", "long  1000", "", "y        2"}
	if got := tb.lines(); !slices.Equal(got, want) {
		t.Errorf("lines:\n%q\nwant\n%q", got, want)
	}
}

func TestNum(t *testing.T) {
	for v, want := range map[float64]string{12345.6: "12346", 123.4: "123", 12.34: "12.3", 1.234: "1.23", 0.01234: "0.0123"} {
		if got := num(v); got != want {
			t.Errorf("num(%v) = %q, want %q", v, got, want)
		}
	}
}

func TestMarkdown(t *testing.T) {
	rep := fakeReport(false)
	rep.interrupted, rep.roundsDone = true, 3
	var b bytes.Buffer
	if err := writeMarkdown(&b, rep); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	for _, want := range []string{
		"# iovkit benchmark report",
		"> **INTERRUPTED** after 3 of 7 rounds",
		"| CPU | Test CPU |",
		"## csum.Partial",
		"![csum.Partial throughput against size](partial.svg)",
		"|  | function | ns/op | ± | GB/s | vs best peer |\n|---|---|---:|---:|---:|---|\n",
		"| 1500 B | amd64-avx2 | 20.0 | 2% | 75.0 | 4.00× gvisor |",
		"wireguard-go is left out",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Contains(md, "EMULATED") {
		t.Errorf("a native report mentions emulation")
	}
}
