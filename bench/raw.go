package main

import (
	"fmt"
	"io"
	"math"
	"runtime"

	"golang.org/x/perf/benchfmt"
)

// writeRaw writes every sample as a go test -bench line, for benchstat:
// one line per timed batch, named as the go test benchmark of the same
// function in csum or iter (BenchmarkPartial/impl=generic/size=1500-2)
// and headed by that package, so that benchstat lines a report up with a
// go test run. An emulated run carries an "emulated" key, which keeps
// benchstat from mixing it with native figures.
func writeRaw(w io.Writer, rep *report) error {
	m := rep.machine
	procs := ""
	if m.procs > 1 {
		procs = fmt.Sprintf("-%d", m.procs)
	}
	bw := benchfmt.NewWriter(w)
	for _, s := range rep.sections {
		config := []benchfmt.Config{
			{Key: "goos", Value: []byte(runtime.GOOS), File: true},
			{Key: "goarch", Value: []byte(m.goarch), File: true},
			{Key: "pkg", Value: []byte(s.pkg), File: true},
		}
		if m.brand != "" {
			config = append(config, benchfmt.Config{Key: "cpu", Value: []byte(m.brand), File: true})
		}
		if m.emu.emulated {
			config = append(config, benchfmt.Config{Key: "emulated", Value: []byte(m.emu.evidence), File: true})
		}
		for _, f := range s.fns {
			ms := rep.measured[f]
			for _, ns := range ms.ns {
				err := bw.Write(&benchfmt.Result{
					Config: config,
					Name:   benchfmt.Name(f.name() + procs),
					Iters:  ms.iters,
					Values: []benchfmt.Value{
						{Value: round(ns, 1e3), Unit: "ns/op"},
						{Value: round(1e3*float64(f.size)/ns, 1e2), Unit: "MB/s"},
					},
				})
				if err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// round rounds x to a multiple of 1/scale, so that lines stay readable:
// the timer's resolution is a nanosecond per batch.
func round(x, scale float64) float64 { return math.Round(x*scale) / scale }
