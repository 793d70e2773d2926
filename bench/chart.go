package main

import (
	"fmt"
	"path/filepath"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// Chart dimensions.
const (
	chartWidth  = 10 * vg.Inch
	chartHeight = 6 * vg.Inch
)

// writeCharts draws each charted section into dir as NAME.svg and
// NAME.png, and returns the files written.
func writeCharts(dir string, rep *report) ([]string, error) {
	var files []string
	for _, s := range rep.sections {
		if s.chart == "" {
			continue
		}
		p, err := rep.chart(s)
		if err != nil {
			return files, fmt.Errorf("chart %s: %w", s.chart, err)
		}
		for _, ext := range []string{".svg", ".png"} {
			name := filepath.Join(dir, s.chart+ext)
			if err := p.Save(chartWidth, chartHeight, name); err != nil {
				return files, fmt.Errorf("chart %s: %w", name, err)
			}
			files = append(files, name)
		}
	}
	return files, nil
}

// chart plots the median throughput of section s against size, on a log
// scale, one line per function.
func (rep *report) chart(s *section) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = fmt.Sprintf("%s throughput: %s, %s", s.title, rep.machine.cpu, rep.machine.goarch)
	if rep.machine.emu.emulated {
		p.Title.Text += fmt.Sprintf("\n%s on %s: not %s hardware's figures", emulatedMark, rep.machine.emu.host, rep.machine.goarch)
	}
	if rep.interrupted {
		p.Title.Text += "\n(interrupted run)"
	}
	p.Title.Padding = vg.Points(8)
	p.X.Label.Text = "buffer size, bytes (log scale)"
	p.Y.Label.Text = "GB/s (median)"
	p.X.Scale = plot.LogScale{}
	p.Y.Min = 0
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.XOffs, p.Legend.YOffs = vg.Inch/4, -vg.Inch/8
	p.Add(plotter.NewGrid())

	var lines []any // label, points, label, points...
	var ticks plot.ConstantTicks
	index := map[string]int{} // label to its points in lines
	for _, f := range s.fns {
		r := rep.results[f]
		if r == nil {
			continue
		}
		i, ok := index[f.label]
		if !ok {
			i = len(lines) + 1
			index[f.label] = i
			lines = append(lines, f.label, plotter.XYs(nil))
		}
		lines[i] = append(lines[i].(plotter.XYs), plotter.XY{X: float64(f.size), Y: r.gbps()})
		if len(ticks) == 0 || ticks[len(ticks)-1].Value != float64(f.size) {
			ticks = append(ticks, plot.Tick{Value: float64(f.size), Label: shortSize(f.size)})
		}
	}
	p.X.Tick.Marker = ticks
	if err := plotutil.AddLinePoints(p, lines...); err != nil {
		return nil, err
	}
	return p, nil
}
