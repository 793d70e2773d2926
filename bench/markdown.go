package main

import (
	"fmt"
	"io"
	"runtime"
	"strings"
)

// writeMarkdown writes the report as Markdown: the machine, the method,
// one table (and chart, where there is one) per section.
func writeMarkdown(w io.Writer, rep *report) error {
	m := rep.machine
	var b strings.Builder
	fmt.Fprintf(&b, "# iovkit benchmark report\n\n%s, %s %s/%s.\n\n", rep.when.Format("2006-01-02 15:04 MST"), m.cpu, runtime.GOOS, m.goarch)
	if m.emu.emulated {
		fmt.Fprintf(&b, "> **"+emulatedMark+"**: %s. These figures measure the emulator, not %s hardware; "+
			"compare them with each other only. No goal is judged: `make bench-model` models real cores.\n\n", m.emu.evidence, m.goarch)
	}
	if rep.interrupted {
		fmt.Fprintf(&b, "> **INTERRUPTED** after %d of %d rounds: the figures cover what was measured.\n\n", rep.roundsDone, rep.rounds)
	}
	b.WriteString("## Machine\n\n| | |\n|---|---|\n")
	for _, f := range m.facts() {
		fmt.Fprintf(&b, "| %s | %s |\n", f[0], escape(f[1]))
	}
	fmt.Fprintf(&b, "\n## Method\n\n%s\n", method(rep))
	for _, s := range rep.sections {
		fmt.Fprintf(&b, "\n## %s\n\n%s.\n\n", s.title, upperFirst(s.about))
		if s.chart != "" {
			fmt.Fprintf(&b, "![%s throughput against size](%s.svg)\n\n", s.title, s.chart)
		}
		writeMarkdownTable(&b, rep.table(s))
	}
	fmt.Fprintf(&b, "\n%s\n", legend)
	if rep.model != "" {
		fmt.Fprintf(&b, "\n%s\n", rep.model)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// method describes how the figures were obtained.
func method(rep *report) string {
	return strings.Join([]string{
		"- " + rep.status() + ".",
		"- Interleaved: every round runs each function once, as one timed batch, in a new random order, " +
			"so that drift in the machine (other load, clock frequency, heat) hits all functions alike. " +
			"A calibration before the first round fixes each function's calls per batch.",
		"- A sample is one batch's time over its calls. Statistics are golang.org/x/perf/benchmath's, " +
			"as benchstat's: medians with distribution-free 95% confidence intervals, Mann-Whitney U-tests.",
		"- Peers: gVisor's pkg/tcpip/checksum for the checksum; Go's copy() and, in cgo builds, C's memcpy " +
			"(cshim.Memcpy, one cgo call each) for copies. wireguard-go is left out: its checksum " +
			"(tun.checksum) is unexported and no exported function computes only a checksum.",
		"- raw.txt has every sample as go test -bench lines named as csum's and iter's own benchmarks: " +
			"`benchstat raw.txt`, or `benchstat gotest.txt raw.txt` beside a `go test -bench` run of those packages.",
	}, "\n")
}

// writeMarkdownTable writes t as a Markdown table.
func writeMarkdownTable(b *strings.Builder, t table) {
	b.WriteString("| " + strings.Join(t.header, " | ") + " |\n|")
	for _, r := range t.right {
		if r {
			b.WriteString("---:|")
		} else {
			b.WriteString("---|")
		}
	}
	b.WriteString("\n")
	for _, row := range t.rows {
		cells := make([]string, len(row))
		for i, c := range row {
			cells[i] = escape(c)
		}
		b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
	}
}

// escape keeps a cell's text from being read as Markdown.
func escape(s string) string {
	return strings.NewReplacer("|", `\|`, "*", `\*`, "_", `\_`, "~", `\~`).Replace(s)
}

// upperFirst capitalises the first letter of s.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
