//go:build (amd64 || arm64) && gc && !purego

package csum

import "testing"

// TestCPURows checks that every row of the table names implementations
// compiled in, and that its choice is available wherever the tier it
// replaces is, so that following a row never leaves a CPU without one.
func TestCPURows(t *testing.T) {
	avail := map[string]bool{}
	for _, im := range Implementations() {
		avail[im.Name] = im.Available
	}
	for _, r := range cpuRows {
		from, ok1 := avail[r.from]
		to, ok2 := avail[r.to]
		if !ok1 || !ok2 {
			t.Errorf("row %s -> %s names an implementation not compiled in", r.from, r.to)
		}
		if from && !to {
			t.Errorf("row %s -> %s: %s is available on this CPU but %s is not", r.from, r.to, r.from, r.to)
		}
	}
}
