package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// modelReportName is the model's Markdown report in its folder, which
// make bench looks for.
const modelReportName = "model.md"

// A modelReport is a finished model: every architecture's rows and the
// calibration on this CPU.
type modelReport struct {
	when    time.Time
	elapsed time.Duration
	machine machine
	mca     string // llvm-mca's version line
	models  []*archModel
	cal     *calibration
}

// runModel is bench -model: it builds, models and calibrates, then prints
// the tables and writes the report folder.
func runModel(cfg config, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	start := time.Now()
	fmt.Fprintln(stderr, "model: building for amd64 and arm64, disassembling, running llvm-mca on every hot loop")
	models, err := buildModel(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "bench: model: %v\n", err)
		return exitFail
	}
	rep := &modelReport{when: start, machine: describeMachine(), models: models, mca: mcaVersion(ctx)}
	var native *archModel
	for _, am := range models {
		if am.arch.goarch == runtime.GOARCH {
			native = am
		}
	}
	fmt.Fprintln(stderr, "model: measuring the same kernels on this CPU")
	rep.cal = calibrateModel(native, rep.machine, cfg.modelCPU)
	rep.elapsed = time.Since(start)
	writeModelText(stdout, rep)
	dir, err := outDir(cfg.out, rep.when, "model", false)
	if err == nil {
		err = writeModelOutputs(dir, rep)
	}
	if err != nil {
		fmt.Fprintf(stderr, "bench: model: %v\n", err)
		return exitFail
	}
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	fmt.Fprintf(stdout, "model report, tables and charts in %s/\n", dir)
	return 0
}

// mcaVersion returns llvm-mca's version line, such as "Debian LLVM
// version 19.1.7".
func mcaVersion(ctx context.Context) string {
	out, _ := exec.CommandContext(ctx, llvmMCA.name, "--version").Output()
	for _, l := range strings.Split(string(out), "\n") {
		if strings.Contains(l, "version") {
			return strings.TrimSpace(l)
		}
	}
	return llvmMCA.name
}

// groupTitles describe the model's two tables of each architecture.
var groupTitles = map[string]string{
	"checksum": "checksum loops (csum's partial* routines and gVisor's checksum)",
	"copy":     "copy loops (csum's copy* routines, the user copies and Go's memmove as the ceiling)",
}

// speedTable returns the bytes per cycle of group g's rows of am on
// each CPU.
func (am *archModel) speedTable(g string) table {
	t := table{header: append([]string{"kernel", "B/iter"}, am.arch.cpus...), right: []bool{false, true}}
	for range am.arch.cpus {
		t.right = append(t.right, true)
	}
	for _, row := range am.group(g) {
		cells := []string{row.label(), fmt.Sprint(row.loop.bytes)}
		if len(row.calls) > 0 {
			cells[1] = "calls"
		}
		for _, cpu := range am.arch.cpus {
			cells = append(cells, speedCell(row, cpu))
		}
		t.rows, t.starts = append(t.rows, cells), append(t.starts, false)
	}
	return t
}

// speedCell formats a row's bytes per cycle on cpu: "—" where the CPU
// cannot run the loop.
func speedCell(row *modelRow, cpu string) string {
	if b, ok := row.bytesPerCycle(cpu); ok {
		return fmt.Sprintf("%.1f", b)
	}
	if row.est[cpu].unread != "" {
		return "?"
	}
	return "—"
}

// bottleneckTable returns what llvm-mca says limits each loop of group g.
func (am *archModel) bottleneckTable(g string) table {
	t := table{header: append([]string{"kernel"}, am.arch.cpus...), right: make([]bool, len(am.arch.cpus)+1)}
	for _, row := range am.group(g) {
		if len(row.calls) > 0 {
			continue
		}
		cells := []string{row.label()}
		for _, cpu := range am.arch.cpus {
			cells = append(cells, row.bottleneck(cpu))
		}
		t.rows, t.starts = append(t.rows, cells), append(t.starts, false)
	}
	return t
}

// calTable returns the calibration: measured against modelled bytes per
// cycle.
func (c *calibration) table() table {
	t := table{header: []string{"kernel", "size", "measured B/cycle", "model B/cycle", "measured/model"},
		right: []bool{false, true, true, true, true}}
	for _, r := range c.rows {
		t.rows = append(t.rows, []string{r.row.label(), formatSize(r.size),
			fmt.Sprintf("%.2f", r.measured), fmt.Sprintf("%.2f", r.model), fmt.Sprintf("%.2f", r.measured/r.model)})
		t.starts = append(t.starts, false)
	}
	return t
}

// notes returns the lines that say how the figures were made.
func (rep *modelReport) notes() []string {
	n := []string{
		fmt.Sprintf("%s, %d iterations of each loop; bytes per cycle = bytes the loop advances per iteration (B/iter) "+
			"over llvm-mca's cycles per iteration (its total over the iterations).", rep.mca, mcaIterations),
		"The loops are found in the code built from this tree (go build of this command for each architecture, " +
			"arm64 without cgo), disassembled with objdump: of the innermost loops that a backward branch closes, " +
			"the one storing through the cache, then with the widest registers, then advancing the most bytes.",
		"— : the CPU cannot run the loop, or one it calls (it lacks the instruction set, or llvm-mca's model of it lacks an instruction); ?: llvm-mca cannot read an instruction " +
			"as objdump prints it (the bottleneck table quotes it). " +
			"Bottleneck \"dispatch width\": llvm-mca saw no resource or dependency hold the loop up in 10% or more of the cycles. " +
			"\"calls\": a routine whose loop calls others on each chunk, or that jumps to another; its figure combines theirs (cycles per byte added).",
		"A static model: no cache misses, no branch mispredictions, no frequency changes; loads hit L1. " +
			"The calibration on this CPU shows how far it holds there.",
	}
	for _, am := range rep.models {
		for _, row := range am.rows {
			if row.err != nil {
				n = append(n, fmt.Sprintf("%s %s: not modelled: %v.", am.arch.goarch, row.r.short(), row.err))
			}
		}
	}
	return append(n, "The model took "+rep.elapsed.Round(100*time.Millisecond).String()+".")
}

// calNotes describes the calibration.
func (c *calibration) notes() []string {
	if c.skipped != "" {
		return []string{"No calibration: " + c.skipped + "."}
	}
	return []string{
		fmt.Sprintf("This CPU is modelled as %s (%s).", c.cpu, c.match),
		fmt.Sprintf("Clock %.2f GHz, %s.", c.ghz, c.clock),
		fmt.Sprintf("Measured: the fastest of %d batches of about %v, whole calls of the kernel (with their set-up and tails) "+
			"at %s checksummed or %s copied, in L1; bytes per cycle = bytes per ns over the clock.",
			calRounds, calBatch, formatSize(calPartialSize), formatSize(calCopySize)),
	}
}

// writeModelText prints the model's tables for the terminal.
func writeModelText(w io.Writer, rep *modelReport) {
	for _, am := range rep.models {
		for _, g := range []string{"checksum", "copy"} {
			fmt.Fprintf(w, "\n== model %s, %s: bytes per cycle\n", am.arch.goarch, groupTitles[g])
			printLines(w, am.speedTable(g))
			fmt.Fprintf(w, "\n== model %s, %s: llvm-mca's bottleneck (share of cycles)\n", am.arch.goarch, g)
			printLines(w, am.bottleneckTable(g))
		}
	}
	fmt.Fprintf(w, "\n== calibration on this CPU (%s)\n", rep.machine.cpu)
	for _, l := range rep.cal.notes() {
		fmt.Fprintln(w, l)
	}
	if len(rep.cal.rows) > 0 {
		printLines(w, rep.cal.table())
	}
	fmt.Fprintln(w)
	for _, l := range rep.notes() {
		fmt.Fprintln(w, l)
	}
}

// printLines prints a table for the terminal.
func printLines(w io.Writer, t table) {
	for _, l := range t.lines() {
		fmt.Fprintln(w, l)
	}
}

// writeModelMarkdown writes the model's report as Markdown.
func writeModelMarkdown(w io.Writer, rep *modelReport) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# iovkit kernel model\n\n%s, on %s. Bytes per cycle of every kernel's hot loop, "+
		"estimated by llvm-mca for CPUs of both architectures, and measured on this one.\n\n",
		rep.when.Format("2006-01-02 15:04 MST"), rep.machine.cpu)
	for _, n := range rep.notes() {
		b.WriteString("- " + n + "\n")
	}
	for _, am := range rep.models {
		for _, g := range []string{"checksum", "copy"} {
			fmt.Fprintf(&b, "\n## %s: %s\n\n", am.arch.goarch, groupTitles[g])
			fmt.Fprintf(&b, "![bytes per cycle per CPU](%s.svg)\n\nBytes per cycle:\n\n", chartName(am, g))
			writeMarkdownTable(&b, am.speedTable(g))
			b.WriteString("\nllvm-mca's bottleneck (share of cycles):\n\n")
			writeMarkdownTable(&b, am.bottleneckTable(g))
		}
	}
	b.WriteString("\n## Calibration on this CPU\n\n")
	for _, n := range rep.cal.notes() {
		b.WriteString("- " + n + "\n")
	}
	if len(rep.cal.rows) > 0 {
		b.WriteString("\n")
		writeMarkdownTable(&b, rep.cal.table())
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// chartName is the file name stem of the chart of group g of am.
func chartName(am *archModel, g string) string { return "model-" + g + "-" + am.arch.goarch }

// modelChart draws group g of am as grouped bars: one group per CPU, one
// bar per kernel.
func modelChart(am *archModel, g, mca string) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = fmt.Sprintf("%s %s loops: modelled bytes per cycle (%s)", am.arch.goarch, g, mca)
	p.Title.Padding = vg.Points(8)
	p.Y.Label.Text = "bytes per cycle (llvm-mca)"
	p.Y.Min = 0
	p.Legend.Top, p.Legend.Left = true, true
	p.Add(plotter.NewGrid())
	rows := am.group(g)
	width := vg.Points(float64(chartWidth.Points()*0.8) / float64(len(am.arch.cpus)*max(len(rows), 1)))
	for i, row := range rows {
		vals := make(plotter.Values, len(am.arch.cpus))
		for j, cpu := range am.arch.cpus {
			vals[j], _ = row.bytesPerCycle(cpu)
		}
		bars, err := plotter.NewBarChart(vals, width)
		if err != nil {
			return nil, err
		}
		bars.Offset = width * vg.Length(float64(i)-float64(len(rows)-1)/2)
		bars.Color = plotutil.Color(i)
		bars.LineStyle.Width = 0
		p.Add(bars)
		p.Legend.Add(row.label(), bars)
	}
	p.NominalX(am.arch.cpus...)
	p.Y.Max *= 1.3 // room for the legend above the bars
	return p, nil
}

// writeModelOutputs writes model.md, model.txt (what the terminal showed)
// and the charts into dir.
func writeModelOutputs(dir string, rep *modelReport) error {
	var md, txt bytes.Buffer
	if err := writeModelMarkdown(&md, rep); err != nil {
		return err
	}
	writeModelText(&txt, rep)
	for name, b := range map[string][]byte{modelReportName: md.Bytes(), "model.txt": txt.Bytes()} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	for _, am := range rep.models {
		for _, g := range []string{"checksum", "copy"} {
			p, err := modelChart(am, g, rep.mca)
			if err != nil {
				return fmt.Errorf("chart %s: %w", chartName(am, g), err)
			}
			for _, ext := range []string{".svg", ".png"} {
				if err := p.Save(chartWidth, chartHeight, filepath.Join(dir, chartName(am, g)+ext)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// latestModel returns the newest model report under root (the folders
// that bench -model makes there), or "" if there is none.
func latestModel(root string) string {
	reports, _ := filepath.Glob(filepath.Join(root, "*", modelReportName))
	var newest string
	var when time.Time
	for _, r := range reports {
		if st, err := os.Stat(r); err == nil && st.ModTime().After(when) {
			newest, when = r, st.ModTime()
		}
	}
	return newest
}

// modelMention is the line of make bench's report that points at the
// newest model under root (a path relative to bench/, where make runs
// the report), or "" if there is none.
func modelMention(root string) string {
	r := latestModel(root)
	if r == "" {
		return ""
	}
	st, _ := os.Stat(r)
	return fmt.Sprintf("A static model of every kernel on other CPUs (make bench-model, %s) is in bench/%s.",
		st.ModTime().Format("2006-01-02 15:04 MST"), filepath.ToSlash(r))
}
