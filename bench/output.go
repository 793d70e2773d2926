package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// writeOutputs writes the report's files into its folder (see outDir) and
// returns the folder: report.md, table.txt (what the terminal showed),
// raw.txt (go test -bench lines) and the charts.
func writeOutputs(rep *report, out string) (string, error) {
	dir, err := outDir(out, rep.when, rep.machine.goarch, rep.machine.emu.emulated)
	if err != nil {
		return "", fmt.Errorf("output folder: %w", err)
	}
	for name, write := range map[string]func(io.Writer, *report) error{
		"report.md": writeMarkdown,
		"raw.txt":   writeRaw,
		"table.txt": func(w io.Writer, rep *report) error {
			writeFacts(w, rep.machine)
			writeTables(w, rep)
			return nil
		},
	} {
		var b bytes.Buffer
		if err := write(&b, rep); err != nil {
			return dir, fmt.Errorf("%s: %w", name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o644); err != nil {
			return dir, err
		}
	}
	if _, err := writeCharts(dir, rep); err != nil {
		return dir, err
	}
	return dir, nil
}

// writeFacts prints the machine, marked on every line if emulated.
func writeFacts(w io.Writer, m machine) {
	for _, f := range m.facts() {
		fmt.Fprintf(w, "%s%-17s %s\n", m.linePrefix(), f[0]+":", f[1])
	}
}
