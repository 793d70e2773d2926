package main

import (
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestWriteOutputs writes a whole report folder and checks its files: the
// charts decode and name every function's line.
func TestWriteOutputs(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "report")
	got, err := writeOutputs(fakeReport(true), dir)
	if err != nil || got != dir {
		t.Fatalf("writeOutputs = %q, %v", got, err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{"partial.png", "partial.svg", "raw.txt", "report.md", "table.txt"}; !slices.Equal(names, want) {
		t.Errorf("files %q, want %q", names, want)
	}
	f, err := os.Open(filepath.Join(dir, "partial.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() < 600 || b.Dy() < 300 {
		t.Errorf("chart is %v", b)
	}
	svg, err := os.ReadFile(filepath.Join(dir, "partial.svg"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"amd64-avx2", "gvisor", "EMULATED", "log scale"} {
		if !strings.Contains(string(svg), want) {
			t.Errorf("the chart lacks %q", want)
		}
	}
	table, err := os.ReadFile(filepath.Join(dir, "table.txt"))
	if err != nil || !strings.Contains(string(table), "EMULATED CPU:") {
		t.Errorf("table.txt does not start with the machine: %v\n%s", err, table)
	}
}
